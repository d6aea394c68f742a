using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>Encrypt: up to 4096 bytes under a symmetric encryption KMS key.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "KmsEncrypt")]
    [OutputType(typeof(EncryptResponse))]
    public sealed class InvokeKmsEncryptCommand : KmsCmdlet
    {
        private const string BytesSet = "Bytes";
        private const string TextSet = "Text";
        private const string SecureTextSet = "SecureText";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = BytesSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = TextSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = SecureTextSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        /// <summary>The bytes to encrypt: a byte[], a base64 string, or a file (Get-Item). A string is never read as text here.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = BytesSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = CliInputJsonSet)]
        [AllowEmptyCollection]
        [AllowEmptyString]
        public object Plaintext { get; set; }

        /// <summary>Text to encrypt, as its UTF-8 bytes.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TextSet, ValueFromPipeline = true)]
        [Parameter(ParameterSetName = CliInputJsonSet)]
        [AllowEmptyString]
        public string PlaintextString { get; set; }

        /// <summary>Text to encrypt from a SecureString (Read-Host -AsSecureString, Get-Credential), as its UTF-8 bytes.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SecureTextSet, ValueFromPipeline = true)]
        public SecureString PlaintextSecureString { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object EncryptionContext { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(EncryptionAlgorithmCompleter))]
        public string EncryptionAlgorithm { get; set; }

        [Parameter]
        [Alias("GrantTokens")]
        public string[] GrantToken { get; set; }

        [Parameter]
        public SwitchParameter DryRun { get; set; }

        protected override void ProcessRecord()
        {
            byte[] ours = null;
            try
            {
                Invoke("Encrypt", KeyId, () =>
                {
                    byte[] plaintext = PlaintextBytes(out bool copied);
                    if (copied) ours = plaintext;
                    return new EncryptRequest
                    {
                        KeyId = KeyId,
                        Plaintext = plaintext,
                        EncryptionContext = ToEncryptionContext(EncryptionContext),
                        EncryptionAlgorithm = EncryptionAlgorithm,
                        GrantTokens = ToList(GrantToken),
                        DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
                    };
                }, r => KmsBackend.Encrypt(r, StopToken));
            }
            finally
            {
                // A copy this cmdlet made (of text, a SecureString, a file, byte values, base64) is ours to wipe; a
                // caller's byte[] is theirs.
                Crypto.SecureBytes.Clear(ours);
            }
        }

        /// <summary>The bytes to encrypt, and whether they are a copy this cmdlet made (and so must wipe).</summary>
        private byte[] PlaintextBytes(out bool copied)
        {
            copied = true;
            if (PlaintextString != null) return Encoding.UTF8.GetBytes(PlaintextString);
            if (PlaintextSecureString != null) return Utf8Of(PlaintextSecureString);
            copied = !((Plaintext is PSObject wrapped ? wrapped.BaseObject : Plaintext) is byte[]);
            return BlobArgument.ToBytes(Plaintext, "Plaintext");
        }

        /// <summary>The UTF-8 bytes of a SecureString, through unmanaged memory that is zeroed and freed at once (no string copy).</summary>
        private static byte[] Utf8Of(SecureString secure)
        {
            IntPtr unmanaged = Marshal.SecureStringToGlobalAllocUnicode(secure);
            char[] chars = new char[secure.Length];
            try
            {
                Marshal.Copy(unmanaged, chars, 0, chars.Length);
                return Encoding.UTF8.GetBytes(chars);
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
                Array.Clear(chars, 0, chars.Length);
            }
        }
    }
}
