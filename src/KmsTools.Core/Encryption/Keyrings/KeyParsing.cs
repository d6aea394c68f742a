using System;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace KmsTools.Encryption.Keyrings
{
    internal static class KeyParsing
    {
        /// <summary>BouncyCastle's parse of a DER key, its many ways of saying "not a key" as one ValidationException.</summary>
        public static AsymmetricKeyParameter Parse(Func<AsymmetricKeyParameter> parse, string notAKey, string member)
        {
            try
            {
                return parse();
            }
            catch (Exception e) when (e is ArgumentException || e is InvalidCastException || e is System.IO.IOException || e is SecurityUtilityException || e is InvalidOperationException)
            {
                throw new KmsException(KmsErrorCodes.Validation, notAKey, member);
            }
        }
    }
}
