using System;
using System.IO;
using System.Management.Automation;
using System.Text;

namespace KmsTools.Infrastructure
{
    /// <summary>
    /// Files users hand to a cmdlet (-CliInputJson file://..., a blob as Get-Item): paths resolved as PowerShell
    /// resolves them (against the current location, not the folder pwsh started in), regular files only, read no
    /// further than a limit, so /dev/zero, a FIFO or a huge file is refused before it is read or waited on.
    /// </summary>
    internal static class InputFiles
    {
        /// <summary>The largest -CliInputJson document read: far above any request (a 4 KB plaintext is ~6 KB of base64).</summary>
        public const int MaxDocumentBytes = 1024 * 1024;

        /// <summary>
        /// Whether a file is a regular file. On Unix the FileSystem provider's item (Get-Item) carries the file's type in
        /// UnixStat; a FileInfo made another way has none, and then the bounded read is what protects.
        /// </summary>
        public static bool IsRegularFile(object item, FileInfo file)
        {
            if (!file.Exists) return false;
            if (item is PSObject wrapped && wrapped.Properties["UnixStat"]?.Value is object stat)
            {
                object type = PSObject.AsPSObject(stat).Properties["ItemType"]?.Value;
                return type == null || string.Equals(type.ToString(), "File", StringComparison.Ordinal);
            }
            return true;
        }

        /// <summary>
        /// At most <paramref name="maxLength"/> bytes of the file; one byte more is an error naming the limit. The reported
        /// length is not trusted (a device reports 0), and the read buffer is zeroed, since a -Plaintext file is a secret.
        /// </summary>
        public static byte[] ReadAtMost(string path, int maxLength, string member)
        {
            var buffer = new byte[maxLength + 1];
            try
            {
                int total = 0, read;
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan))
                    while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0) total += read;
                if (total > maxLength)
                    throw new KmsException(KmsErrorCodes.Validation, $"{member}: '{path}' is longer than {maxLength} bytes, the most allowed.", member);
                var exact = new byte[total];
                Buffer.BlockCopy(buffer, 0, exact, 0, total);
                return exact;
            }
            finally
            {
                Array.Clear(buffer, 0, buffer.Length);
            }
        }

        /// <summary>
        /// The text of a "file://path" given to -CliInputJson (or to a document parameter such as -Policy, as the aws
        /// CLI reads file:// for any of its options): the path resolved against the current location, strict UTF-8.
        /// </summary>
        public static string ReadDocument(PSCmdlet cmdlet, string reference, string option = "cli-input-json", string member = "CliInputJson")
        {
            string given = reference.Substring("file://".Length);
            string path;
            try
            {
                path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(given);
            }
            catch (Exception e) when (e is ItemNotFoundException || e is NotSupportedException || e is ArgumentException || e is ProviderNotFoundException || e is System.Management.Automation.DriveNotFoundException)
            {
                throw Unloadable(reference, e.Message, option, member);
            }
            var file = new FileInfo(path);
            object item = null;
            if (file.Exists)
            {
                try { item = cmdlet.InvokeProvider.Item.Get(new[] { path }, true, true) is var items && items.Count > 0 ? items[0] : null; }
                catch (Exception e) when (e is ItemNotFoundException || e is UnauthorizedAccessException || e is IOException) { }
            }
            if (!IsRegularFile(item, file)) throw Unloadable(reference, $"'{path}' is not a regular file", option, member);
            try
            {
                byte[] bytes = ReadAtMost(path, MaxDocumentBytes, member);
                return new UTF8Encoding(false, true).GetString(bytes).TrimStart('\uFEFF');
            }
            catch (DecoderFallbackException)
            {
                throw Unloadable(reference, "the file is not valid UTF-8", option, member);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw Unloadable(reference, e.Message, option, member);
            }
        }

        /// <summary>A document parameter's value: its text, or the text of the file a "file://path" value names.</summary>
        public static string DocumentOrFile(PSCmdlet cmdlet, string value, string option, string member) =>
            value != null && value.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? ReadDocument(cmdlet, value, option, member) : value;

        private static KmsException Unloadable(string reference, string why, string option, string member) =>
            new KmsException(KmsErrorCodes.Validation, $"Error parsing parameter '{option}': Unable to load paramfile {reference}: {why}", member);
    }
}
