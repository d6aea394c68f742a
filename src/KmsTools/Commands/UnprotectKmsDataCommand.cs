using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using System.Text;
using KmsTools.Crypto;
using KmsTools.Encryption;
using KmsTools.Infrastructure;

namespace KmsTools.Commands
{
    /// <summary>
    /// Decrypts one AWS Encryption SDK message held in memory (its bytes, a stream, or its base64 text, piped or
    /// given) and writes the plaintext as one byte[] once everything has verified, or as text with -AsString and
    /// -AsSecureString. The working buffer is zeroed afterwards.
    /// </summary>
    [Cmdlet(VerbsSecurity.Unprotect, "KmsData")]
    [OutputType(typeof(byte[]), typeof(string), typeof(SecureString))]
    public sealed class UnprotectKmsDataCommand : KmsUnprotectCmdlet
    {
        private readonly PipelineBytes _input = new PipelineBytes(textIsBase64: true);

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [AllowEmptyCollection]
        public object InputObject { get; set; }

        /// <summary>Writes the plaintext as text (UTF-8).</summary>
        [Parameter]
        public SwitchParameter AsString { get; set; }

        /// <summary>Writes the plaintext as a SecureString (its UTF-8 text).</summary>
        [Parameter]
        public SwitchParameter AsSecureString { get; set; }

        protected override void ProcessRecord()
        {
            Gather(_input, InputObject);
        }

        protected override void EndProcessing()
        {
            byte[] plain = null;
            try
            {
                if (_input.Spoiled) return;
                if (AsString && AsSecureString) throw new KmsException(KmsErrorCodes.Validation, "Give -AsString or -AsSecureString, not both.", "AsString");
                _input.ReadAllIn("InputObject");
                // A plaintext is shorter than its message, so this buffer never grows (and leaves no copy when it would).
                plain = new byte[Math.Max(0, _input.Length)];
                var output = new MemoryStream(plain, 0, plain.Length, writable: true);
                MessageInfo info = MessageDecryptor.Decrypt(_input.Open("InputObject"), output, Keyrings(), UnprotectOptions());
                int length = (int)output.Position;
                Verbose($"Decrypted a {info.MessageLength}-byte message ({info.Header.Suite.Name}) to {length} bytes.");
                if (!AsString && !AsSecureString)
                {
                    var result = new byte[length];
                    Buffer.BlockCopy(plain, 0, result, 0, length);
                    WriteObject(result, enumerateCollection: false);
                    return;
                }
                WriteObject(PlaintextText.From(plain, length, AsSecureString, "; leave out -AsString and -AsSecureString to get its bytes."));
            }
            catch (Exception e) when (IsItemFailure(e))
            {
                WriteItemError(e, null, null);
            }
            finally
            {
                SecureBytes.Clear(plain);
                _input.Dispose();
                base.EndProcessing();
            }
        }

        protected override void ReleaseResources() => _input.Dispose();
    }
}
