namespace KmsTools.Encryption
{
    /// <summary>
    /// The errors of reading and writing messages, under KMS's error names: a message that is damaged, truncated,
    /// altered or keyed otherwise is an InvalidCiphertextException that says which part failed (the header, the key
    /// commitment, frame N, the signature); no key that opens it, IncorrectKeyException; more encrypted data keys than
    /// allowed, LimitExceededException; a suite the commitment policy refuses, UnsupportedOperationException.
    /// </summary>
    public static class MessageErrors
    {
        public static KmsException Truncated(string part, long position) =>
            new KmsException(KmsErrorCodes.InvalidCiphertext,
                $"The message ends inside {part} (after {position} bytes): it is truncated, or it is not an AWS Encryption SDK message.");

        public static KmsException Malformed(string part, string what) =>
            new KmsException(KmsErrorCodes.InvalidCiphertext, $"The message is not valid: {part}: {what}");

        public static KmsException HeaderNotAuthentic() =>
            new KmsException(KmsErrorCodes.InvalidCiphertext,
                "The message header does not authenticate with the data key: the header was altered after encryption.");

        public static KmsException CommitmentMismatch() =>
            new KmsException(KmsErrorCodes.InvalidCiphertext,
                "The data key does not match the message's key commitment: the header was altered, or an encrypted data key opens to a key that is not the message's.");

        public static KmsException FrameNotAuthentic(uint sequence) =>
            new KmsException(KmsErrorCodes.InvalidCiphertext,
                $"Frame {sequence} of the message does not authenticate: the message was altered after encryption.");

        public static KmsException BodyNotAuthentic() =>
            new KmsException(KmsErrorCodes.InvalidCiphertext, "The message's body does not authenticate: the message was altered after encryption.");

        public static KmsException SignatureInvalid() =>
            new KmsException(KmsErrorCodes.InvalidCiphertext,
                "The message's signature does not verify: the message was altered after encryption, or its end was cut off and replaced.");

        public static KmsException TrailingBytes() =>
            new KmsException(KmsErrorCodes.InvalidCiphertext,
                "Bytes follow the end of the message: the input is not one AWS Encryption SDK message.");

        public static KmsException TooManyDataKeys(int count, int max) =>
            new KmsException(KmsErrorCodes.LimitExceeded,
                $"The message has {count} encrypted data keys, more than the {max} allowed; raise -MaxEncryptedDataKeys if the message is trusted.",
                "MaxEncryptedDataKeys");

        public static KmsException RefusedByPolicy(AlgorithmSuite suite, string policy, bool encrypting) =>
            new KmsException(KmsErrorCodes.UnsupportedOperation, encrypting
                ? $"The algorithm suite {suite.Name} (0x{suite.IdHex}) is not allowed to encrypt under the commitment policy {policy}."
                : $"The message uses {suite.Name} (0x{suite.IdHex}), which does not commit to its data key; the commitment policy {policy} refuses it. Decrypt with -CommitmentPolicy RequireEncryptAllowDecrypt if the message is trusted.",
                "CommitmentPolicy");
    }
}
