using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace KmsTools.Local
{
    /// <summary>
    /// Restricts key store files to their owner (0600 files, 0700 folders) on Unix. netstandard2.0 has no API for
    /// modes, so this binds once to File.SetUnixFileMode, which every runtime PowerShell 7 runs on has (.NET 7+).
    /// On Windows the store sits under the user's own profile, whose ACL already keeps other users out.
    /// </summary>
    internal static class FilePermissions
    {
        private const int OwnerReadWrite = 0x180; // 0600
        private const int OwnerAll = 0x1C0;       // 0700
        private static readonly Action<string, int> SetMode = BindSetUnixFileMode();

        public static bool IsEnforced => SetMode != null;

        public static void RestrictFile(string path) => SetMode?.Invoke(path, OwnerReadWrite);

        public static void RestrictDirectory(string path) => SetMode?.Invoke(path, OwnerAll);

        private static Action<string, int> BindSetUnixFileMode()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                return null;
            Type modeType = typeof(File).Assembly.GetType("System.IO.UnixFileMode");
            MethodInfo method = modeType == null ? null
                : typeof(File).GetMethod("SetUnixFileMode", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), modeType }, null);
            if (method == null)
                return null;
            return (path, mode) => method.Invoke(null, new[] { path, Enum.ToObject(modeType, mode) });
        }
    }
}
