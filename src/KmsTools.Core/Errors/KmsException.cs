using System;

namespace KmsTools
{
    /// <summary>
    /// A KMS error: <see cref="ErrorCode"/> is the KMS error name exactly as the service sends it
    /// (<c>NotFoundException</c>, <c>ValidationException</c>, ...) and <see cref="Exception.Message"/> is the KMS text.
    /// Messages never carry plaintext or key material.
    /// </summary>
    [Serializable]
    public sealed class KmsException : Exception
    {
        public KmsException(string errorCode, string message, string memberName = null, Exception innerException = null)
            : base(message ?? string.Empty, innerException)
        {
            ErrorCode = errorCode ?? throw new ArgumentNullException(nameof(errorCode));
            MemberName = memberName;
        }

        /// <summary>The KMS error name, e.g. <c>NotFoundException</c>.</summary>
        public string ErrorCode { get; }

        /// <summary>The request member the error is about (model name, e.g. <c>KeyPairSpec</c>), when there is one.</summary>
        public string MemberName { get; }

        public override string ToString() => ErrorCode + ": " + Message;
    }

    /// <summary>The KMS error names this module raises or maps.</summary>
    public static class KmsErrorCodes
    {
        public const string AccessDenied = "AccessDeniedException";
        public const string AlreadyExists = "AlreadyExistsException";
        public const string Disabled = "DisabledException";
        public const string DryRunOperation = "DryRunOperationException";
        public const string ExpiredImportToken = "ExpiredImportTokenException";
        public const string IncorrectKey = "IncorrectKeyException";
        public const string IncorrectKeyMaterial = "IncorrectKeyMaterialException";
        public const string InvalidAliasName = "InvalidAliasNameException";
        public const string InvalidArn = "InvalidArnException";
        public const string InvalidCiphertext = "InvalidCiphertextException";
        public const string InvalidGrantId = "InvalidGrantIdException";
        public const string InvalidGrantToken = "InvalidGrantTokenException";
        public const string InvalidImportToken = "InvalidImportTokenException";
        public const string InvalidKeyUsage = "InvalidKeyUsageException";
        public const string InvalidMarker = "InvalidMarkerException";
        public const string KMSInternal = "KMSInternalException";
        public const string KMSInvalidMac = "KMSInvalidMacException";
        public const string KMSInvalidSignature = "KMSInvalidSignatureException";
        public const string KMSInvalidState = "KMSInvalidStateException";
        public const string LimitExceeded = "LimitExceededException";
        public const string MalformedPolicyDocument = "MalformedPolicyDocumentException";
        public const string NotFound = "NotFoundException";
        public const string Tag = "TagException";
        /// <summary>The wire protocol's error for a body that is not the operation's JSON (AWS's framework sends it).</summary>
        public const string Serialization = "SerializationException";
        /// <summary>The wire protocol's error for an X-Amz-Target that names no KMS operation.</summary>
        public const string UnknownOperation = "UnknownOperationException";
        public const string UnsupportedOperation = "UnsupportedOperationException";
        public const string Validation = "ValidationException";
    }
}
