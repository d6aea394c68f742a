#if NETFRAMEWORK
using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace KmsTools.Infrastructure
{
    /// <summary>
    /// Windows PowerShell 5.1: no load contexts and no binding redirects for modules, so a library that asks for
    /// System.Memory 4.0.1.2 while bin/net472 holds 4.0.5.0 would fail to load. This answers such requests, from
    /// our own assemblies only, with the copy in our folder.
    /// </summary>
    public sealed class DesktopAssemblyResolver : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string Folder = Path.GetDirectoryName(typeof(DesktopAssemblyResolver).Assembly.Location);

        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

        public void OnRemove(PSModuleInfo module) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        private static Assembly Resolve(object sender, ResolveEventArgs args)
        {
            string path = Path.Combine(Folder, new AssemblyName(args.Name).Name + ".dll");
            if (!File.Exists(path)) return null;
            Assembly requester = args.RequestingAssembly;
            if (requester != null && !string.Equals(Path.GetDirectoryName(requester.Location), Folder, StringComparison.OrdinalIgnoreCase))
                return null;
            return Assembly.LoadFrom(path);
        }
    }
}
#endif
