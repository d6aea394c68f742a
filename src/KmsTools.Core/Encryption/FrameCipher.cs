using System;
using KmsTools.Crypto;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
#if NET
using System.Security.Cryptography;
#endif

namespace KmsTools.Encryption
{
    /// <summary>
    /// AES-GCM under one message's derived key, for the header tag and every frame: OpenSSL's EVP interface keyed
    /// once (<see cref="OpenSslAesGcm"/>) where it loads, else the platform's AesGcm (CNG, Apple), which sets the key
    /// again on every frame; BouncyCastle on .NET Framework and where the platform has no GCM. The key is zeroed on Dispose.
    /// </summary>
    internal sealed class FrameCipher : IDisposable
    {
        private readonly byte[] _key;
#if NET
        private readonly OpenSslAesGcm _openSsl;
        private readonly AesGcm _platform;
#endif
        private readonly GcmBlockCipher _managed;
        private readonly KeyParameter _managedKey;

        public FrameCipher(byte[] key)
        {
            _key = (byte[])key.Clone();
#if NET
            if (OpenSslAesGcm.Available)
            {
                _openSsl = new OpenSslAesGcm(_key);
                return;
            }
            if (AesGcmCipher.HasPlatform)
            {
                _platform = new AesGcm(_key, AlgorithmSuite.TagLength);
                return;
            }
#endif
            _managed = new GcmBlockCipher(AesUtilities.CreateEngine());
            _managedKey = new KeyParameter(_key);
        }

        /// <summary>Encrypts <paramref name="count"/> bytes of <paramref name="input"/> into <paramref name="output"/>, then the tag into <paramref name="tag"/>.</summary>
        public void Encrypt(byte[] iv, byte[] aad, byte[] input, int inputOffset, int count, byte[] output, int outputOffset, byte[] tag, int tagOffset)
        {
#if NET
            if (_openSsl != null)
            {
                _openSsl.Encrypt(iv, aad, input.AsSpan(inputOffset, count), output.AsSpan(outputOffset, count), tag.AsSpan(tagOffset, AlgorithmSuite.TagLength));
                return;
            }
            if (_platform != null)
            {
                _platform.Encrypt(iv, input.AsSpan(inputOffset, count), output.AsSpan(outputOffset, count), tag.AsSpan(tagOffset, AlgorithmSuite.TagLength), aad);
                return;
            }
#endif
            _managed.Init(true, new AeadParameters(_managedKey, AlgorithmSuite.TagLength * 8, iv, aad));
            var sealedBytes = new byte[count + AlgorithmSuite.TagLength];
            int n = _managed.ProcessBytes(input, inputOffset, count, sealedBytes, 0);
            _managed.DoFinal(sealedBytes, n);
            Buffer.BlockCopy(sealedBytes, 0, output, outputOffset, count);
            Buffer.BlockCopy(sealedBytes, count, tag, tagOffset, AlgorithmSuite.TagLength);
        }

        /// <summary>Decrypts and authenticates; false (and nothing usable in <paramref name="output"/>) when the tag does not verify.</summary>
        public bool TryDecrypt(byte[] iv, byte[] aad, byte[] input, int inputOffset, int count, byte[] tag, int tagOffset, byte[] output, int outputOffset)
        {
#if NET
            if (_openSsl != null)
                return _openSsl.TryDecrypt(iv, aad, input.AsSpan(inputOffset, count), tag.AsSpan(tagOffset, AlgorithmSuite.TagLength), output.AsSpan(outputOffset, count));
            if (_platform != null)
            {
                try
                {
                    _platform.Decrypt(iv, input.AsSpan(inputOffset, count), tag.AsSpan(tagOffset, AlgorithmSuite.TagLength), output.AsSpan(outputOffset, count), aad);
                    return true;
                }
                catch (CryptographicException)
                {
                    return false;
                }
            }
#endif
            _managed.Init(false, new AeadParameters(_managedKey, AlgorithmSuite.TagLength * 8, iv, aad));
            var sealedBytes = new byte[count + AlgorithmSuite.TagLength];
            Buffer.BlockCopy(input, inputOffset, sealedBytes, 0, count);
            Buffer.BlockCopy(tag, tagOffset, sealedBytes, count, AlgorithmSuite.TagLength);
            var plain = new byte[count];
            try
            {
                int n = _managed.ProcessBytes(sealedBytes, 0, sealedBytes.Length, plain, 0);
                _managed.DoFinal(plain, n);
                Buffer.BlockCopy(plain, 0, output, outputOffset, count);
                return true;
            }
            catch (InvalidCipherTextException)
            {
                return false;
            }
            finally
            {
                SecureBytes.Clear(plain);
            }
        }

        public void Dispose()
        {
#if NET
            _openSsl?.Dispose();
            _platform?.Dispose();
#endif
            SecureBytes.Clear(_key);
        }
    }
}
