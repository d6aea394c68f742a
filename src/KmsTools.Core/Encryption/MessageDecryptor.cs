using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using KmsTools.Crypto;
using KmsTools.Encryption.Keyrings;

namespace KmsTools.Encryption
{
    /// <summary>
    /// Reads an AWS Encryption SDK message (client-apis/decrypt.md), version 1 or 2, framed or not, in constant memory:
    /// the header (the count of encrypted data keys checked as soon as it is read), a data key from the first keyring
    /// that opens one, the key commitment (constant time), the header tag, every frame in order, then the footer
    /// signature, and nothing after it. Plaintext goes to <c>output</c> frame by frame as each frame authenticates;
    /// the caller must not release it before this returns (a signature covers the whole message), which is why the
    /// file cmdlets write to a temporary file and rename it only then.
    /// </summary>
    public static class MessageDecryptor
    {
        public static MessageInfo Decrypt(Stream message, Stream output, IReadOnlyList<IKeyring> keyrings, MessageOptions options)
        {
            if (message == null) throw new ArgumentNullException(nameof(message));
            if (output == null) throw new ArgumentNullException(nameof(output));
            var reader = new MessageReader(message);
            MessageHeader header = MessageHeader.Read(reader, options.MaxEncryptedDataKeys);
            AlgorithmSuite suite = header.Suite;
            if (!MessageOptions.Allows(options.CommitmentPolicy, suite, encrypting: false))
                throw MessageErrors.RefusedByPolicy(suite, options.CommitmentPolicy.ToString(), encrypting: false);
            string verificationKey = VerificationKey(header);
            RequireContext(header, options.EncryptionContext);

            byte[] dataKey = OpenDataKey(header, keyrings, options);
            byte[] key = null, commitKey = null;
            try
            {
                key = MessageKeys.Derive(suite, dataKey, header.MessageId, out commitKey);
                if (suite.IsCommitting && !MessageKeys.SameCommitKey(commitKey, header.CommitKey)) throw MessageErrors.CommitmentMismatch();
                using (var cipher = new FrameCipher(key))
                using (IncrementalHash hash = suite.IsSigned ? MessageSignature.NewHash(suite) : null)
                {
                    if (!cipher.TryDecrypt(header.HeaderIv ?? new byte[AlgorithmSuite.IvLength], header.Body, new byte[0], 0, 0, header.AuthenticationTag, 0, new byte[0], 0))
                        throw MessageErrors.HeaderNotAuthentic();
                    if (hash != null)
                    {
                        hash.AppendData(header.Body);
                        byte[] authentication = header.Authentication;
                        hash.AppendData(authentication);
                        reader.Digest = hash;
                    }
                    long plaintextLength = header.IsFramed
                        ? ReadFrames(reader, output, cipher, header, options)
                        : ReadSingleBlock(reader, output, cipher, header, options);
                    if (hash != null)
                    {
                        reader.Digest = null;
                        reader.Part = "the footer";
                        byte[] signature = reader.ReadBytes(reader.ReadUInt16());
                        if (!MessageSignature.Verify(suite, verificationKey, hash.GetHashAndReset(), signature)) throw MessageErrors.SignatureInvalid();
                    }
                    if (!reader.AtEnd()) throw MessageErrors.TrailingBytes();
                    output.Flush();
                    return new MessageInfo(header, plaintextLength, reader.Position, suite.IsSigned);
                }
            }
            finally
            {
                SecureBytes.Clear(dataKey, key, commitKey);
            }
        }

        /// <summary>Reads a header alone, unauthenticated (no key needed): what Get-KmsEncryptedMessage shows.</summary>
        public static MessageHeader ReadHeader(Stream message, int maxEncryptedDataKeys = 0) =>
            MessageHeader.Read(new MessageReader(message), maxEncryptedDataKeys);

        /// <summary>The default CMM's rule: a signed suite's context carries its verification key, an unsigned one's must not.</summary>
        private static string VerificationKey(MessageHeader header)
        {
            header.EncryptionContext.TryGetValue(MessageFormat.PublicKeyContextKey, out string key);
            if (header.Suite.IsSigned && key == null)
                throw MessageErrors.Malformed("the encryption context", $"the message is signed ({header.Suite.Name}) but its context has no {MessageFormat.PublicKeyContextKey}.");
            if (!header.Suite.IsSigned && key != null)
                throw MessageErrors.Malformed("the encryption context", $"the message is not signed ({header.Suite.Name}) yet its context has an {MessageFormat.PublicKeyContextKey}.");
            return key;
        }

        private static void RequireContext(MessageHeader header, IDictionary<string, string> required)
        {
            if (required == null) return;
            foreach (var pair in required)
            {
                if (!header.EncryptionContext.TryGetValue(pair.Key, out string value))
                    throw new KmsException(KmsErrorCodes.InvalidCiphertext,
                        $"The message's encryption context has no key '{pair.Key}'; the context required '{pair.Key}={pair.Value}'. Its keys: {string.Join(", ", header.EncryptionContext.Keys)}.", "EncryptionContext");
                if (!string.Equals(value, pair.Value ?? string.Empty, StringComparison.Ordinal))
                    throw new KmsException(KmsErrorCodes.InvalidCiphertext,
                        $"The message's encryption context has '{pair.Key}={value}', not the required '{pair.Key}={pair.Value}'.", "EncryptionContext");
            }
        }

        private static byte[] OpenDataKey(MessageHeader header, IReadOnlyList<IKeyring> keyrings, MessageOptions options)
        {
            var failures = new List<string>();
            foreach (IKeyring keyring in keyrings ?? new IKeyring[0])
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                byte[] dataKey = keyring.OnDecrypt(header.Suite, header.EncryptionContext, header.EncryptedDataKeys, failures, options.CancellationToken);
                if (dataKey != null) return dataKey;
            }
            string wrappedBy = string.Join("; ", header.EncryptedDataKeys.Select(k => k.ProviderId + " " + SafeInfo(k)));
            string given = string.Join(", ", (keyrings ?? new IKeyring[0]).Select(k => k.Description));
            string why = failures.Count == 0 ? string.Empty : " Attempts: " + string.Join(" | ", failures);
            throw new KmsException(KmsErrorCodes.IncorrectKey,
                $"None of the keys given ({given}) opens the message's data key, which is encrypted under: {wrappedBy}.{why}");
        }

        private static string SafeInfo(EncryptedDataKey key)
        {
            try
            {
                return key.ProviderInfoText;
            }
            catch (System.Text.DecoderFallbackException)
            {
                return "0x" + Hex.ToLower(key.ProviderInfo);
            }
        }

        private static long ReadFrames(MessageReader reader, Stream output, FrameCipher cipher, MessageHeader header, MessageOptions options)
        {
            if (header.FrameLength > MessageOptions.MaxFrameLength)
                throw new KmsException(KmsErrorCodes.LimitExceeded, $"The message's frame length is {header.FrameLength} bytes; this module decrypts frames of at most {MessageOptions.MaxFrameLength}.");
            int frame = (int)header.FrameLength;
            var aad = new BodyAad(header.MessageId);
            var iv = new byte[AlgorithmSuite.IvLength];
            var tag = new byte[AlgorithmSuite.TagLength];
            var sealedFrame = new byte[frame];
            int batch = Math.Max(frame, MessageEncryptor.BatchBytes);
            var plain = new byte[batch];
            int pending = 0;
            long total = 0;
            uint expected = 1;
            try
            {
                while (true)
                {
                    reader.Part = $"frame {expected}";
                    uint first = reader.ReadUInt32();
                    bool final = first == uint.MaxValue;
                    uint sequence = final ? reader.ReadUInt32() : first;
                    if (sequence != expected)
                        throw MessageErrors.Malformed($"frame {expected}", $"its sequence number is {sequence}: frames are missing, repeated or out of order.");
                    reader.ReadExactly(iv, 0, iv.Length);
                    int length = frame;
                    if (final)
                    {
                        uint stated = reader.ReadUInt32();
                        if (stated > header.FrameLength)
                            throw MessageErrors.Malformed($"frame {expected}", $"the final frame says {stated} bytes, more than the frame length {header.FrameLength}.");
                        length = (int)stated;
                    }
                    reader.ReadExactly(sealedFrame, 0, length);
                    reader.ReadExactly(tag, 0, tag.Length);
                    if (pending + length > plain.Length)
                    {
                        output.Write(plain, 0, pending);
                        pending = 0;
                        options.Progress?.Invoke(reader.Position);
                    }
                    byte[] frameAad = final ? aad.ForFinal(sequence, length) : aad.ForRegular(sequence, length);
                    if (!cipher.TryDecrypt(iv, frameAad, sealedFrame, 0, length, tag, 0, plain, pending)) throw MessageErrors.FrameNotAuthentic(sequence);
                    pending += length;
                    total += length;
                    if (final) break;
                    if (expected == uint.MaxValue) throw MessageErrors.Malformed("the body", "it has more frames than a message may.");
                    expected++;
                    if ((expected & 0xFF) == 0) options.CancellationToken.ThrowIfCancellationRequested();
                }
                output.Write(plain, 0, pending);
                options.Progress?.Invoke(reader.Position);
                return total;
            }
            finally
            {
                SecureBytes.Clear(plain);
            }
        }

        private static long ReadSingleBlock(MessageReader reader, Stream output, FrameCipher cipher, MessageHeader header, MessageOptions options)
        {
            reader.Part = "the body";
            byte[] iv = reader.ReadBytes(AlgorithmSuite.IvLength);
            ulong length = reader.ReadUInt64();
            if (length > MessageOptions.MaxFrameLength)
                throw new KmsException(KmsErrorCodes.LimitExceeded, $"The message's body is one block of {length} bytes; this module decrypts non-framed bodies of at most {MessageOptions.MaxFrameLength}.");
            byte[] sealedBody = reader.ReadBytes((int)length);
            byte[] tag = reader.ReadBytes(AlgorithmSuite.TagLength);
            var plain = new byte[(int)length];
            try
            {
                if (!cipher.TryDecrypt(iv, new BodyAad(header.MessageId).ForSingleBlock((long)length), sealedBody, 0, (int)length, tag, 0, plain, 0))
                    throw new KmsException(KmsErrorCodes.InvalidCiphertext, "The message's body does not authenticate: the message was altered after encryption.");
                output.Write(plain, 0, plain.Length);
                options.Progress?.Invoke(reader.Position);
                return plain.Length;
            }
            finally
            {
                SecureBytes.Clear(plain);
            }
        }
    }
}
