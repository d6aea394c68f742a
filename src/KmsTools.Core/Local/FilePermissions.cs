using System;
using System.IO;
using System.Runtime.InteropServices;

namespace KmsTools.Local
{
    /// <summary>
    /// Restricts key store files to their owner (0600 files, 0700 folders) on Unix. On Windows the store sits under
    /// the user's own profile, whose ACL already keeps other users out.
    /// </summary>
    internal static class FilePermissions
    {
        private const int OwnerReadWrite = 0x180; // 0600
        private const int OwnerAll = 0x1C0;       // 0700
        private static readonly bool IsUnix = !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public static bool IsEnforced => IsUnix;

        public static void RestrictFile(string path) => SetMode(path, OwnerReadWrite);

        public static void RestrictDirectory(string path) => SetMode(path, OwnerAll);

        /// <summary>
        /// Refuses a store folder that other local users can write to (group or other write, without the sticky bit
        /// that stops them from deleting what is not theirs): they could delete key files or plant links. What ssh does
        /// with ~/.ssh. The folder's owner is not checked here (.NET has no portable call for it); a folder that is
        /// not writable by others cannot be changed by them either way.
        /// </summary>
        public static void RequirePrivateFolder(string path)
        {
#if NET
            if (OperatingSystem.IsWindows() || !Directory.Exists(path)) return;
            UnixFileMode mode = File.GetUnixFileMode(path);
            const UnixFileMode othersWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
            if ((mode & othersWrite) != 0 && (mode & UnixFileMode.StickyBit) == 0)
                throw new KmsException(KmsErrorCodes.KMSInternal,
                    $"The local key store folder '{path}' can be written by other users (mode {Convert.ToString((int)mode & 0xFFF, 8)}): they could delete keys or plant links. Restrict it (chmod 700 '{path}'), or set KMSTOOLS_HOME to a folder of your own.");
#endif
        }

        private static void SetMode(string path, int mode)
        {
#if NET
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)mode);
#else
            if (!IsUnix) return;
            // The net472 build on Unix is Mono (its tests run there): libc's chmod, as .NET's own call ends up.
            if (chmod(path, mode) != 0)
                throw new IOException($"Cannot restrict '{path}' to its owner (chmod failed with errno {Marshal.GetLastWin32Error()}).");
#endif
        }

#if !NET
        [DllImport("libc", SetLastError = true)]
        private static extern int chmod(string path, int mode);
#endif
    }
}
