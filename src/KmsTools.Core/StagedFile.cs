using System;
using System.IO;
using KmsTools.Local;

namespace KmsTools
{
    /// <summary>
    /// A file written in full before it appears under its name: the bytes go to a temporary file beside the destination
    /// (created new, so a planted link is refused, never followed; owner-only from its creation when it will hold
    /// plaintext), which <see cref="Commit"/> renames into place once it is complete. Disposed uncommitted (a failure,
    /// a stopped pipeline) it is deleted, so no partial output is ever left behind.
    /// </summary>
    public sealed class StagedFile : IDisposable
    {
        private readonly FileStream _stream;
        private bool _committed;

        private StagedFile(string destination, string temp, FileStream stream)
        {
            Destination = destination;
            TempPath = temp;
            _stream = stream;
        }

        public string Destination { get; }
        public string TempPath { get; }
        public Stream Stream => _stream;

        public static StagedFile Create(string destination, bool ownerOnly)
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(destination));
            string temp = Path.Combine(folder, "." + Path.GetFileName(destination) + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".partial");
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None);
            try
            {
                if (ownerOnly) FilePermissions.RestrictFile(temp); // before any byte is written
            }
            catch
            {
                stream.Dispose();
                File.Delete(temp);
                throw;
            }
            return new StagedFile(destination, temp, stream);
        }

        /// <summary>
        /// Renames the complete file into place; an existing destination is replaced only when <paramref name="overwrite"/>.
        /// The bytes are handed to the OS but not forced to the disk (as cp, gpg and aws-encryption-cli do not): an fsync
        /// of a large file costs more than its encryption (3.4 s per GiB on this machine's disk, against 0.5 s without).
        /// </summary>
        public void Commit(bool overwrite)
        {
            _stream.Flush();
            _stream.Dispose();
#if NET
            File.Move(TempPath, Destination, overwrite);
#else
            if (overwrite && File.Exists(Destination)) File.Replace(TempPath, Destination, null);
            else File.Move(TempPath, Destination);
#endif
            _committed = true;
        }

        public void Dispose()
        {
            if (_committed) return;
            _stream.Dispose();
            try
            {
                File.Delete(TempPath);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
