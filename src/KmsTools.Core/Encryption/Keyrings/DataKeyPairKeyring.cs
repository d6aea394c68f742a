namespace KmsTools.Encryption.Keyrings
{
    /// <summary>The keyring of a data key pair, by its key type: the ESDK's raw RSA keyring or its raw ECDH keyring.</summary>
    public static class DataKeyPairKeyring
    {
        /// <param name="publicKeyInfo">DER SubjectPublicKeyInfo, or null when the private key is given.</param>
        /// <param name="privateKeyPkcs8">DER PKCS #8, or null to encrypt only.</param>
        /// <param name="keyNamespace">The raw RSA keyring's key namespace (null: the default); EC pairs have none.</param>
        /// <param name="keyName">The raw RSA keyring's key name (null: the default); EC pairs have none.</param>
        public static IKeyring For(byte[] publicKeyInfo, byte[] privateKeyPkcs8, string keyNamespace, string keyName)
        {
            if (!RawEcdhKeyring.IsEcKey(publicKeyInfo, privateKeyPkcs8)) return new RawRsaKeyring(publicKeyInfo, privateKeyPkcs8, keyNamespace, keyName);
            if (!string.IsNullOrEmpty(keyNamespace) || !string.IsNullOrEmpty(keyName))
                throw new KmsException(KmsErrorCodes.Validation,
                    "-KeyNamespace and -KeyName name the keys of RSA pairs; the encrypted data key of an EC pair (provider id raw-ecdh) is found by its public key. Leave them out.",
                    string.IsNullOrEmpty(keyNamespace) ? "KeyName" : "KeyNamespace");
            return new RawEcdhKeyring(publicKeyInfo, privateKeyPkcs8);
        }
    }
}
