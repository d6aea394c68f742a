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
        private static readonly Dictionary<string, Assembly> Loaded = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);
        private static object _context;
        private static MethodInfo _loadFromPath;
        private static bool _coreLoaded, _remoteLoaded, _registered;

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
                // Answer only our own assemblies' requests (the requester is null on .NET for some loads),
                // never another module's request that happens to name a library we also carry.
                Assembly requester = args.RequestingAssembly;
                if (requester != null && requester != CmdletAssembly && !Loaded.ContainsValue(requester))
                    return null;
                if (!_coreLoaded)
                {
                    LoadGroup(file => !IsRemoteGroup(file));
                    _coreLoaded = true;
                }
                // The AWS SDK is big and only the remote backend needs it: its group loads on its first request,
                // all of it at once, for the same reason as above.
                if (IsRemoteGroup(name) && !_remoteLoaded)
                {
                    LoadGroup(IsRemoteGroup);
                    _remoteLoaded = true;
                }
                return Loaded.TryGetValue(name, out Assembly assembly) ? assembly : null;
            }
        }

        private static bool IsRemoteGroup(string name) =>
            name.StartsWith("AWSSDK.", StringComparison.OrdinalIgnoreCase) || name == "KmsTools.Remote" || name == "System.IO.Hashing";

        private static void LoadGroup(Func<string, bool> belongs)
        {
            if (_context == null && _loadFromPath == null) CreatePrivateLoadContext();
            Dictionary<string, string> platform = PlatformAssemblies();
            foreach (string path in Directory.GetFiles(Folder, "*.dll"))
            {
                string name = Path.GetFileNameWithoutExtension(path);
                // On .NET the runtime already has System.Memory, System.Text.Json, ... at newer versions; loading the
                // netstandard copies privately would give the SDK types that do not match the runtime's own.
                if (!belongs(name) || Loaded.ContainsKey(name) || PlatformServes(platform, name, path)) continue;
                Loaded[name] = _context != null
                    ? (Assembly)_loadFromPath.Invoke(_context, new object[] { path })
                    : Assembly.LoadFrom(path); // Windows PowerShell: no load contexts
            }
        }

        /// <summary>The assemblies the host process itself ships (.NET and PowerShell), by name; empty on .NET Framework.</summary>
        private static Dictionary<string, string> PlatformAssemblies()
        {
            var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (_context == null) return paths; // .NET Framework: ship and load everything
            if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
                foreach (string path in list.Split(Path.PathSeparator))
                    paths[Path.GetFileNameWithoutExtension(path)] = path;
            return paths;
        }

        /// <summary>True when the host's own copy is at least as new as ours: then it serves us, and types stay shared with the runtime.</summary>
        private static bool PlatformServes(Dictionary<string, string> platform, string name, string ours)
        {
            if (!platform.TryGetValue(name, out string theirs)) return false;
            try
            {
                return AssemblyName.GetAssemblyName(theirs).Version >= AssemblyName.GetAssemblyName(ours).Version;
            }
            catch (Exception e) when (e is IOException || e is BadImageFormatException)
            {
                return false;
            }
        }

        /// <summary>AssemblyLoadContext is not in netstandard2.0: made by reflection where the runtime has it.</summary>
        private static void CreatePrivateLoadContext()
        {
            Type type = Type.GetType("System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader", throwOnError: false)
                        ?? Type.GetType("System.Runtime.Loader.AssemblyLoadContext", throwOnError: false);
            ConstructorInfo constructor = type?.GetConstructor(new[] { typeof(string), typeof(bool) });
            if (constructor == null) return;
            _context = constructor.Invoke(new object[] { "KmsTools", false });
            _loadFromPath = type.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) });
        }
    }
}
