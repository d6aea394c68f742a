using System;
using KmsTools.Local;

namespace KmsTools
{
    /// <summary>
    /// A decrypted plaintext written to a file the way the key store writes key material: to a temporary file in the
    /// same folder, readable by its owner only from its creation, flushed, then renamed into place. A failure at any
    /// step leaves no partial plaintext behind, and the old file (if any) as it was.
    /// </summary>
    public static class PlaintextFile
    {
        public static void Write(string path, byte[] plaintext)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            AtomicFile.Replace(path, plaintext ?? new byte[0], (file, verb, cause) =>
                new KmsException(KmsErrorCodes.Validation, $"The plaintext cannot be written to '{file}': {cause.Message} No file was written.", "OutFile", cause),
                mayCreate: true);
        }
    }
}
