using System.Management.Automation;

namespace KmsTools.Commands
{
    /// <summary>ErrorRecords for KMS errors: id = the KMS error name (PowerShell appends the cmdlet), a fitting category, the KMS message.</summary>
    internal static class KmsErrorRecords
    {
        public static ErrorRecord Create(KmsException error, object target)
        {
            var record = new ErrorRecord(error, error.ErrorCode, CategoryOf(error.ErrorCode), target);
            string advice = AdviceFor(error.ErrorCode);
            // KMS deliberately says nothing for some errors (InvalidCiphertextException); users still need to know what happened.
            string message = string.IsNullOrEmpty(error.Message) ? $"{error.ErrorCode}: {DefaultMessage(error.ErrorCode)}" : $"{error.ErrorCode}: {error.Message}";
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = advice };
            return record;
        }

        public static ErrorCategory CategoryOf(string errorCode)
        {
            switch (errorCode)
            {
                case KmsErrorCodes.NotFound: return ErrorCategory.ObjectNotFound;
                case KmsErrorCodes.AlreadyExists: return ErrorCategory.ResourceExists;
                case KmsErrorCodes.Validation:
                case KmsErrorCodes.InvalidAliasName:
                case KmsErrorCodes.InvalidArn:
                case KmsErrorCodes.InvalidGrantToken:
                case KmsErrorCodes.InvalidKeyUsage:
                case KmsErrorCodes.IncorrectKey:
                case KmsErrorCodes.InvalidMarker:
                case KmsErrorCodes.Tag:
                    return ErrorCategory.InvalidArgument;
                case KmsErrorCodes.InvalidCiphertext: return ErrorCategory.InvalidData;
                case KmsErrorCodes.Disabled:
                case KmsErrorCodes.KMSInvalidState:
                    return ErrorCategory.InvalidOperation;
                case KmsErrorCodes.UnsupportedOperation: return ErrorCategory.NotImplemented;
                case KmsErrorCodes.DryRunOperation: return ErrorCategory.OperationStopped;
                case KmsErrorCodes.LimitExceeded: return ErrorCategory.QuotaExceeded;
                case KmsErrorCodes.AccessDenied: return ErrorCategory.PermissionDenied;
                case "DependencyTimeoutException": return ErrorCategory.OperationTimeout;
                case "KeyUnavailableException": return ErrorCategory.ResourceUnavailable;
                default: return ErrorCategory.NotSpecified;
            }
        }

        private static string DefaultMessage(string errorCode)
        {
            switch (errorCode)
            {
                case KmsErrorCodes.InvalidCiphertext:
                    return "the ciphertext could not be decrypted. The blob is damaged or truncated, was not made by this KMS, or the encryption context differs from the one it was encrypted with.";
                case KmsErrorCodes.KMSInvalidSignature: return "the signature is not valid for this message, key and signing algorithm.";
                case KmsErrorCodes.KMSInvalidMac: return "the MAC is not valid for this message, key and MAC algorithm.";
                default: return "the request failed.";
            }
        }

        private static string AdviceFor(string errorCode)
        {
            switch (errorCode)
            {
                case KmsErrorCodes.NotFound: return "Check the key id, key ARN or alias name (Get-KmsKey, Get-KmsAlias) and the -Region.";
                case KmsErrorCodes.InvalidCiphertext: return "Pass the exact blob and the same -EncryptionContext (keys and values, case-sensitive) used when it was made.";
                case KmsErrorCodes.InvalidKeyUsage: return "Use a key whose KeyUsage and KeySpec fit the operation, with an algorithm it lists (Get-KmsKey shows its EncryptionAlgorithms, SigningAlgorithms and MacAlgorithms).";
                case KmsErrorCodes.KMSInvalidSignature: return "The signature does not match the message, the key or the algorithm: check all three (and -MessageType).";
                case KmsErrorCodes.KMSInvalidMac: return "The MAC does not match the message, the key or the algorithm: check all three.";
                case KmsErrorCodes.Disabled: return "Enable the key, or use another key.";
                case KmsErrorCodes.DryRunOperation: return "Run the command again without -DryRun to perform the operation.";
                case KmsErrorCodes.Validation: return "Correct the parameter value named in the message.";
                default: return null;
            }
        }
    }
}
