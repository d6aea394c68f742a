using System;
using System.Management.Automation;
using System.Security;
using System.Text;
using KmsTools.Infrastructure;
using KmsTools.Model;

using static KmsTools.Infrastructure.ParameterValues;

namespace KmsTools.Commands
{
    /// <summary>Decrypt: the plaintext of a ciphertext blob made by Encrypt, GenerateDataKey* or GenerateDataKeyPair*.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "KmsDecrypt", DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(DecryptResponse), typeof(string), typeof(SecureString))]
    public sealed class InvokeKmsDecryptCommand : KmsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ParametersSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = CliInputJsonSet)]
        [Alias("PrivateKeyCiphertextBlob")]
        [AllowEmptyCollection]
        [AllowEmptyString]
        public object CiphertextBlob { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object EncryptionContext { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(KeyIdCompleter))]
        public string KeyId { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(EncryptionAlgorithmCompleter))]
        public string EncryptionAlgorithm { get; set; }

        [Parameter]
        [Alias("GrantTokens")]
        public string[] GrantToken { get; set; }

        [Parameter]
        public SwitchParameter DryRun { get; set; }

        /// <summary>Writes the plaintext as text (UTF-8) instead of the response.</summary>
        [Parameter]
        public SwitchParameter AsString { get; set; }

        /// <summary>Writes the plaintext as a SecureString (its UTF-8 text) instead of the response.</summary>
        [Parameter]
        public SwitchParameter AsSecureString { get; set; }

        /// <summary>Writes the plaintext bytes to this file (owner-only, all or nothing) and nothing to the pipeline.</summary>
        [Parameter]
        public string OutFile { get; set; }

        private int _written;

        protected override void ProcessRecord()
        {
            Invoke("Decrypt", CiphertextBlob, () => RefuseOutputConflicts() ?? new DecryptRequest
            {
                CiphertextBlob = BlobArgument.ToBytes(CiphertextBlob, "CiphertextBlob"),
                EncryptionContext = ToEncryptionContext(EncryptionContext),
                KeyId = KeyId,
                EncryptionAlgorithm = EncryptionAlgorithm,
                GrantTokens = ToList(GrantToken),
                DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
            }, r => KmsBackend.Decrypt(r, StopToken), AsString || AsSecureString || OutFile != null ? Deliver : (Func<DecryptResponse, object>)null);
        }

        /// <summary>Throws, before any work, when this item's plaintext cannot go where it is asked to.</summary>
        private DecryptRequest RefuseOutputConflicts()
        {
            string refusal = OutputRefusal();
            if (refusal != null)
                throw new KmsException(KmsErrorCodes.Validation, refusal, AsString ? "AsString" : AsSecureString ? "AsSecureString" : "OutFile");
            return null;
        }

        private string OutputRefusal()
        {
            int ways = (AsString ? 1 : 0) + (AsSecureString ? 1 : 0) + (OutFile != null ? 1 : 0);
            if (ways > 1) return "Give one of -AsString, -AsSecureString and -OutFile.";
            if (ways == 1 && (Output != null || Query != null)) return "-AsString, -AsSecureString and -OutFile replace the response; they cannot be combined with -Output or -Query.";
            if (OutFile != null && _written > 0) return $"-OutFile holds one plaintext, and '{OutFile}' has this pipeline's first one: decrypt the others with their own -OutFile.";
            return null;
        }

        /// <summary>The plaintext in the form asked for; the response's own bytes are zeroed once converted.</summary>
        private object Deliver(DecryptResponse response)
        {
            byte[] plaintext = response.Plaintext;
            try
            {
                if (OutFile != null)
                {
                    PlaintextFile.Write(SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile), plaintext);
                    _written++;
                    WriteVerbose($"Decrypt: {plaintext?.Length ?? 0} bytes written to {OutFile}.");
                    return null;
                }
                string text;
                try
                {
                    text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(plaintext ?? new byte[0]);
                }
                catch (DecoderFallbackException)
                {
                    throw new KmsException(KmsErrorCodes.Validation,
                        $"The plaintext ({plaintext.Length} bytes) is not UTF-8 text, so it cannot be given as a string; read the Plaintext property of the response, or write it with -OutFile.",
                        AsString ? "AsString" : "AsSecureString");
                }
                if (AsString) return text;
                var secure = new SecureString();
                foreach (char c in text) secure.AppendChar(c);
                secure.MakeReadOnly();
                return secure;
            }
            finally
            {
                Crypto.SecureBytes.Clear(plaintext);
            }
        }
    }
}
