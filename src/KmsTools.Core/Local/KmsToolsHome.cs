using System;
using System.IO;
using System.Runtime.InteropServices;

namespace KmsTools.Local
{
    /// <summary>Where the local key store lives: $KMSTOOLS_HOME, else the per-OS data folder.</summary>
    public static class KmsToolsHome
    {
        public const string EnvironmentVariable = "KMSTOOLS_HOME";

        public static string Resolve()
        {
            string overridden = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(overridden))
                return Path.GetFullPath(overridden);

            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "KmsTools");

            string home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
                return Path.Combine(home, "Library", "Application Support", "KmsTools");

            string dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            return string.IsNullOrWhiteSpace(dataHome)
                ? Path.Combine(home, ".local", "share", "kmstools")
                : Path.Combine(dataHome, "kmstools");
        }
    }
}
