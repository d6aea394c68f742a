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

        public static FileLock Acquire(string path)
        {
            DateTime deadline = DateTime.UtcNow + Timeout;
            int delay = 1;
            while (true)
            {
                try
                {
                    var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                    FilePermissions.RestrictFile(path);
                    return new FileLock(stream);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(delay);
                    delay = Math.Min(delay * 2, 50);
                }
                catch (IOException e)
                {
                    throw new KmsException(KmsErrorCodes.KMSInternal,
                        $"Timed out after {Timeout.TotalSeconds} s waiting for the lock '{path}' of the local key store; another process holds it.", null, e);
                }
            }
        }

        public void Dispose() => _stream.Dispose();
    }
}
