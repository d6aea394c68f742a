using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace KmsTools.Infrastructure
{
    /// <summary>
    /// Keeps the engine and its third-party assemblies (BouncyCastle, Newtonsoft.Json, ...) in bin/Dependencies,
    /// loaded into a load context of their own on PowerShell 7, so that other modules' copies of the same
    /// libraries (Posh-ACME, PSPKI, AWS Tools ship BouncyCastle or AWSSDK) never collide with ours.
    /// Every BouncyCastle 2.x has AssemblyVersion 2.0.0.0, so requests are not answered one by one: the first
    /// request loads the whole folder into the private context, which then binds to its own copies.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        public void OnImport() => DependencyResolver.Register();

        public void OnRemove(PSModuleInfo module) => DependencyResolver.Unregister();
    }

    internal static class DependencyResolver
    {
        private static readonly object Gate = new object();
        private static readonly Assembly CmdletAssembly = typeof(DependencyResolver).Assembly;
        private static readonly string Folder = Path.Combine(Path.GetDirectoryName(CmdletAssembly.Location) ?? ".", "Dependencies");
        private static Dictionary<string, Assembly> _loaded;
        private static bool _registered;

        public static void Register()
        {
            lock (Gate)
            {
                if (_registered) return;
                AppDomain.CurrentDomain.AssemblyResolve += OnAssemblyResolve;
                _registered = true;
            }
        }

        public static void Unregister()
        {
            lock (Gate)
            {
                if (!_registered) return;
                AppDomain.CurrentDomain.AssemblyResolve -= OnAssemblyResolve;
                _registered = false;
            }
        }

        private static Assembly OnAssemblyResolve(object sender, ResolveEventArgs args)
        {
            string name = new AssemblyName(args.Name).Name;
            if (!File.Exists(Path.Combine(Folder, name + ".dll")))
                return null;
            lock (Gate)
            {
                Dictionary<string, Assembly> loaded = _loaded ?? (_loaded = LoadAll());
                // Answer only our own assemblies' requests (the requester is null on .NET for some loads),
                // never another module's request that happens to name a library we also carry.
                Assembly requester = args.RequestingAssembly;
                if (requester != null && requester != CmdletAssembly && !loaded.ContainsValue(requester))
                    return null;
                return loaded.TryGetValue(name, out Assembly assembly) ? assembly : null;
            }
        }

        private static Dictionary<string, Assembly> LoadAll()
        {
            var loaded = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);
            object context = CreatePrivateLoadContext();
            MethodInfo loadFromPath = context?.GetType().GetMethod("LoadFromAssemblyPath", new[] { typeof(string) });
            foreach (string path in Directory.GetFiles(Folder, "*.dll"))
            {
                Assembly assembly = context != null
                    ? (Assembly)loadFromPath.Invoke(context, new object[] { path })
                    : Assembly.LoadFrom(path); // Windows PowerShell: no load contexts, LoadFrom keeps them apart enough
                loaded[Path.GetFileNameWithoutExtension(path)] = assembly;
            }
            return loaded;
        }

        /// <summary>AssemblyLoadContext is not in netstandard2.0: made by reflection where the runtime has it.</summary>
        private static object CreatePrivateLoadContext()
        {
            Type type = Type.GetType("System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader", throwOnError: false)
                        ?? Type.GetType("System.Runtime.Loader.AssemblyLoadContext", throwOnError: false);
            ConstructorInfo constructor = type?.GetConstructor(new[] { typeof(string), typeof(bool) });
            return constructor?.Invoke(new object[] { "KmsTools", false });
        }
    }
}
