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

        private bool _wroteFile;
        private string _outPath;

        protected override void ProcessRecord()
        {
            Invoke("Decrypt", CiphertextBlob, () =>
            {
                RefuseOutputConflicts();
                return new DecryptRequest
                {
                    CiphertextBlob = BlobArgument.ToBytes(CiphertextBlob, "CiphertextBlob"),
                    EncryptionContext = ToEncryptionContext(EncryptionContext),
                    KeyId = KeyId,
                    EncryptionAlgorithm = EncryptionAlgorithm,
                    GrantTokens = ToList(GrantToken),
                    DryRun = ToDryRun(DryRun, MyInvocation.BoundParameters),
                };
            }, r => KmsBackend.Decrypt(r, StopToken), AsString || AsSecureString || OutFile != null ? Deliver : (Func<DecryptResponse, object>)null);
        }

        /// <summary>Throws, before any work, when this item's plaintext cannot go where it is asked to.</summary>
        private void RefuseOutputConflicts()
        {
            string member = AsString ? "AsString" : AsSecureString ? "AsSecureString" : "OutFile";
            int ways = (AsString ? 1 : 0) + (AsSecureString ? 1 : 0) + (OutFile != null ? 1 : 0);
            if (ways > 1) throw new KmsException(KmsErrorCodes.Validation, "Give one of -AsString, -AsSecureString and -OutFile.", member);
            if (ways == 1 && (Output != null || Query != null))
                throw new KmsException(KmsErrorCodes.Validation, "-AsString, -AsSecureString and -OutFile replace the response; they cannot be combined with -Output or -Query.", member);
            if (OutFile == null) return;
            if (_wroteFile)
                throw new KmsException(KmsErrorCodes.Validation, $"-OutFile holds one plaintext, and '{OutFile}' has this pipeline's first one: decrypt the others with their own -OutFile.", member);
            try
            {
                _outPath = _outPath ?? SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile);
            }
            catch (Exception e) when (e is NotSupportedException || e is ArgumentException || e is ProviderNotFoundException || e is DriveNotFoundException || e is ItemNotFoundException)
            {
                throw new KmsException(KmsErrorCodes.Validation, $"-OutFile '{OutFile}' is not a file system path: {e.Message}", member);
            }
        }

        /// <summary>The plaintext in the form asked for; the response's own bytes are zeroed once converted.</summary>
        private object Deliver(DecryptResponse response)
        {
            byte[] plaintext = response.Plaintext ?? new byte[0];
            try
            {
                if (OutFile != null)
                {
                    PlaintextFile.Write(_outPath, plaintext);
                    _wroteFile = true;
                    Verbose($"Decrypt: {plaintext.Length} bytes written to {OutFile}.");
                    return null;
                }
                return PlaintextText.From(plaintext, plaintext.Length, AsSecureString,
                    ", so it cannot be given as a string; read the Plaintext property of the response, or write it with -OutFile.");
            }
            finally
            {
                Crypto.SecureBytes.Clear(plaintext);
            }
        }
    }
}
