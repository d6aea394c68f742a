using System;
using System.IO;

namespace KmsTools.Local
{
    /// <summary>
    /// Whole-file writes that readers never see half done: the bytes go to a private temporary file in the
    /// same folder, are flushed to disk, and the file is then renamed over (or, for a new file, linked into) place.
    /// </summary>
    internal static class AtomicFile
    {
        /// <summary>Writes a file that must not exist yet; returns false, writing nothing, when it does.</summary>
        public static bool TryCreate(string path, byte[] content, bool durable = true)
        {
            string temp = WriteTemp(path, content, durable);
            try
            {
                // File.Move refuses an existing target (link+unlink on Unix, MoveFileEx on Windows),
                // so of two racing creators exactly one wins.
                File.Move(temp, path);
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw KeyStore.Unusable(path, "write", e);
            }
            finally
            {
                TryDelete(temp);
            }
        }

        /// <summary>Replaces an existing file in one step.</summary>
        public static void Replace(string path, byte[] content) => Replace(path, content, KeyStore.Unusable);

        /// <summary>Replaces or creates a file in one step; <paramref name="failure"/> makes the error (path, verb, cause).</summary>
        /// <param name="lockedTemp">
        /// The temporary file's name when the caller holds a lock that serializes every writer of <paramref name="path"/>:
        /// one known name, so that what a killed writer left is found without listing the folder. Otherwise a fresh name.
        /// </param>
        public static void Replace(string path, byte[] content, Func<string, string, Exception, Exception> failure, bool mayCreate = false, string lockedTemp = null)
        {
            string temp = WriteTemp(path, content, durable: true, failure, lockedTemp);
            try
            {
                if (mayCreate && !File.Exists(path)) File.Move(temp, path);
                else File.Replace(temp, path, null);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw failure(path, "write", e);
            }
            finally
            {
                TryDelete(temp);
            }
        }

        private static string WriteTemp(string path, byte[] content, bool durable, Func<string, string, Exception, Exception> failure = null, string lockedTemp = null)
        {
            // CreateNew, for a locked name too: a link planted there is refused, never followed.
            string temp = lockedTemp ?? path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
                {
                    FilePermissions.RestrictFile(temp); // before any byte is written
                    stream.Write(content, 0, content.Length);
                    if (durable) stream.Flush(true);
                    else stream.Flush();
                }
                return temp;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // A full disk leaves a short or empty temp file: remove it, and say which file could not be written.
                TryDelete(temp);
                throw (failure ?? KeyStore.Unusable)(path, "write", e);
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                if (File.Exists(path)) File.Delete(path);
            }
            catch (IOException)
            {
                // A leftover temp file is harmless: readers only ever open final names.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
