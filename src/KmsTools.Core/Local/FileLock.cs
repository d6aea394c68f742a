using System;
using System.IO;
using System.Threading;

namespace KmsTools.Local
{
    /// <summary>
    /// An exclusive lock between processes on one key or alias, for read-modify-write updates. It is an open
    /// lock file with FileShare.None (flock on Unix, a share mode on Windows), so the OS releases it when its
    /// holder dies: a killed process never leaves a store locked. Creates and reads take no lock at all.
    /// </summary>
    internal sealed class FileLock : IDisposable
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
        private readonly FileStream _stream;

        private FileLock(FileStream stream) => _stream = stream;

        /// <summary>
        /// Takes the lock. A lock file is never followed through a symbolic link: a new one is created exclusively (which
        /// fails on any existing name, a link included), and an existing one is opened only when it is not a link, checked
        /// before and after the open, and never chmod'ed (it was made owner-only when it was created).
        /// </summary>
        public static FileLock Acquire(string path)
        {
            DateTime deadline = DateTime.UtcNow + Timeout;
            int delay = 1;
            while (true)
            {
                RefuseLink(path);
                try
                {
                    var created = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                    FilePermissions.RestrictFile(path);
                    return new FileLock(created);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // It exists: the usual case, or another process holds it.
                }
                try
                {
                    var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                    if (IsLink(path))
                    {
                        stream.Dispose();
                        RefuseLink(path);
                    }
                    return new FileLock(stream);
                }
                catch (FileNotFoundException)
                {
                    // Deleted between the two attempts (a key's files removed): create it again.
                }
                catch (IOException e) when (IsContention(e) && DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(delay);
                    delay = Math.Min(delay * 2, 50);
                }
                catch (IOException e) when (IsContention(e))
                {
                    throw new KmsException(KmsErrorCodes.KMSInternal,
                        $"Timed out after {Timeout.TotalSeconds} s waiting for the lock '{path}' of the local key store; another process holds it.", null, e);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    // A read-only volume, no permission, a full disk: waiting would not help, and "another process" would be false.
                    throw new KmsException(KmsErrorCodes.KMSInternal,
                        $"The lock file '{path}' of the local key store cannot be opened: {e.Message}", null, e);
                }
            }
        }

        /// <summary>Whether an open failed because another holder has the lock: EWOULDBLOCK from flock on Linux (11) and macOS (35), a sharing or lock violation on Windows.</summary>
        private static bool IsContention(IOException e) =>
            e.HResult == 11 || e.HResult == 35 || e.HResult == unchecked((int)0x80070020) || e.HResult == unchecked((int)0x80070021);

        private static bool IsLink(string path)
        {
            try
            {
                return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0;
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                return false;
            }
        }

        private static void RefuseLink(string path)
        {
            if (IsLink(path))
                throw new KmsException(KmsErrorCodes.KMSInternal,
                    $"The lock file '{path}' of the local key store is a symbolic link, which KmsTools never follows. Someone else may have planted it: remove it, and check who can write to the store's folders.");
        }

        public void Dispose() => _stream.Dispose();
    }
}
