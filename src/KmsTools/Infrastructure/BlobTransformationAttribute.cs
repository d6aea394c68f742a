using System;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace KmsTools.Infrastructure
{
    /// <summary>
    /// Lets a blob parameter take a byte[], a base64 string (decoded, never read as UTF-8 text), or a FileInfo
    /// (its bytes). Any other string is an error that says how to pass a blob.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class BlobTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case null:
                case byte[] _:
                    return value;
                case string text:
                    return FromBase64(text);
                case FileInfo file:
                    return File.ReadAllBytes(file.FullName);
                case object[] items when items.All(i => (i is PSObject p ? p.BaseObject : i) is byte):
                    return items.Select(i => (byte)(i is PSObject p ? p.BaseObject : i)).ToArray();
                default:
                    throw new ArgumentTransformationMetadataException(
                        $"A {value.GetType().Name} is not a blob. Pass a byte[] (for example [IO.File]::ReadAllBytes($path)), a base64 string, or a file (Get-Item blob.bin).");
            }
        }

        private static byte[] FromBase64(string text)
        {
            string compact = new string(text.Where(c => !char.IsWhiteSpace(c)).ToArray());
            try
            {
                return Convert.FromBase64String(compact);
            }
            catch (FormatException)
            {
                string shown = compact.Length > 40 ? compact.Substring(0, 40) + "..." : compact;
                throw new ArgumentTransformationMetadataException(
                    $"The string '{shown}' is not valid base64. Pass the blob as a base64 string (for example the ...Base64 property of a KmsTools result), as a byte[] ([IO.File]::ReadAllBytes($path)), or as a file (Get-Item blob.bin).");
            }
        }
    }
}
