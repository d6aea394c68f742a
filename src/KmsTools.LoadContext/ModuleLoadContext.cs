using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace KmsTools.Loading
{
    /// <summary>
    /// The module's own assembly load context on PowerShell 7. The cmdlet assembly and every library it ships
    /// (BouncyCastle, Newtonsoft.Json, JmesPath, the AWS SDK) load here, from the module's folder, so that other
    /// modules' copies of the same libraries in the same session (Posh-ACME, PSPKI, AWS Tools) never bind to ours
    /// nor ours to theirs. Only this small assembly sits in the default context, to create this one.
    /// </summary>
    public sealed class ModuleLoadContext : AssemblyLoadContext
    {
        private const string ModuleAssemblyName = "KmsTools";
        private static readonly object Gate = new object();
        private static ModuleLoadContext _instance;
        private readonly string _folder;

        private ModuleLoadContext(string folder) : base("KmsTools", isCollectible: false) => _folder = folder;

        /// <summary>True once the cmdlet assembly is loaded: a later import of the module is a re-import.</summary>
        public static bool IsLoaded
        {
            get
            {
                lock (Gate) return _instance != null;
            }
        }

        /// <summary>The cmdlet assembly, loaded in the module's context (once per process: a re-import gets the same one).</summary>
        public static Assembly LoadModule()
        {
            lock (Gate)
            {
                _instance ??= new ModuleLoadContext(Path.GetDirectoryName(typeof(ModuleLoadContext).Assembly.Location));
                return _instance.LoadFromAssemblyName(new AssemblyName(ModuleAssemblyName));
            }
        }

        /// <summary>
        /// What we ship is always served from our folder, whatever is already loaded elsewhere: every
        /// BouncyCastle.Cryptography 2.x says AssemblyVersion 2.0.0.0, so deferring to the default context for an
        /// equal version would silently bind to another module's copy. What we do not ship (the framework,
        /// System.Management.Automation) comes from the host.
        /// </summary>
        protected override Assembly Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name == typeof(ModuleLoadContext).Assembly.GetName().Name)
                return typeof(ModuleLoadContext).Assembly;
            string path = Path.Combine(_folder, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
