using System;
using System.IO;
using System.Management.Automation;
using KmsTools.Encryption;
using KmsTools.Infrastructure;

namespace KmsTools.Commands
{
    /// <summary>
    /// Encrypts in-memory data into one AWS Encryption SDK message: everything piped in (bytes, text, a stream) is one
    /// plaintext, as with Protect-CmsMessage, and the message is written as one byte[] when the pipeline ends, ready for
    /// Set-Content -AsByteStream, [IO.File]::WriteAllBytes or Unprotect-KmsData.
    /// </summary>
    [Cmdlet(VerbsSecurity.Protect, "KmsData")]
    [OutputType(typeof(byte[]))]
    public sealed class ProtectKmsDataCommand : KmsProtectCmdlet
    {
        private readonly PipelineBytes _input = new PipelineBytes(textIsBase64: false);

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [AllowEmptyString]
        [AllowEmptyCollection]
        [AllowNull]
        public object InputObject { get; set; }

        protected override void ProcessRecord()
        {
            Gather(_input, InputObject);
        }

        protected override void EndProcessing()
        {
            try
            {
                if (_input.Spoiled)
                {
                    WriteItemError(new KmsException(KmsErrorCodes.Validation, "Part of the input could not be read, so no message was made: it would not hold all of the data.", "InputObject"), null, null);
                    return;
                }
                var output = new MemoryStream();
                MessageInfo info = MessageEncryptor.Encrypt(_input.Open("InputObject"), output, Keyrings(), ProtectOptions());
                Verbose($"Encrypted {info.PlaintextLength} bytes into a {info.MessageLength}-byte message ({info.Header.Suite.Name}, message id {Convert.ToBase64String(info.Header.MessageId)}).");
                WriteObject(output.ToArray(), enumerateCollection: false);
            }
            catch (Exception e) when (IsItemFailure(e))
            {
                WriteItemError(e, null, null);
            }
            finally
            {
                _input.Dispose();
                base.EndProcessing();
            }
        }

        protected override void ReleaseResources() => _input.Dispose();
    }
}
