using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using KmsTools.Crypto;
using KmsTools.Encryption.Keyrings;
using Org.BouncyCastle.Crypto.Parameters;

namespace KmsTools.Encryption
{
    /// <summary>
    /// Writes an AWS Encryption SDK message (client-apis/encrypt.md) from a plaintext stream, in constant memory: the
    /// header (with the commit key in version 2), framed content, and for signed suites the footer. The plaintext is
    /// read in batches of frames; each batch is encrypted into one output buffer, hashed for the signature and written.
    /// </summary>
    public static class MessageEncryptor
    {
        /// <summary>Frames are read, encrypted and written this many bytes at a time (at least one frame).</summary>
        internal const int BatchBytes = 1 << 20;

        public static MessageInfo Encrypt(Stream plaintext, Stream output, IReadOnlyList<IKeyring> keyrings, MessageOptions options) =>
            Encrypt(plaintext, output, keyrings, options, null);

        /// <param name="fixedMessageId">A message id to use instead of a random one: for the published test vector only.</param>
        internal static MessageInfo Encrypt(Stream plaintext, Stream output, IReadOnlyList<IKeyring> keyrings, MessageOptions options, byte[] fixedMessageId)
        {
            if (plaintext == null) throw new ArgumentNullException(nameof(plaintext));
            if (output == null) throw new ArgumentNullException(nameof(output));
            if (keyrings == null || keyrings.Count == 0) throw new ArgumentException("Encryption needs a keyring.", nameof(keyrings));
            AlgorithmSuite suite = SuiteFor(options);
            Dictionary<string, string> context = ValidatedContext(options.EncryptionContext);
            if (options.FrameLength < 1 || options.FrameLength > MessageOptions.MaxFrameLength)
                throw new KmsException(KmsErrorCodes.Validation, $"The frame length {options.FrameLength} is not between 1 and {MessageOptions.MaxFrameLength} bytes.", "FrameLength");

            ECPrivateKeyParameters signingKey = null;
            if (suite.IsSigned)
            {
                signingKey = MessageSignature.NewSigningKey(suite, out string verificationKey);
                context[MessageFormat.PublicKeyContextKey] = verificationKey;
            }
            using (var materials = new EncryptionMaterials(suite, context))
            {
                foreach (IKeyring keyring in keyrings)
                {
                    options.CancellationToken.ThrowIfCancellationRequested();
                    keyring.OnEncrypt(materials, options.CancellationToken);
                }
                if (options.MaxEncryptedDataKeys > 0 && materials.EncryptedDataKeys.Count > options.MaxEncryptedDataKeys)
                    throw MessageErrors.TooManyDataKeys(materials.EncryptedDataKeys.Count, options.MaxEncryptedDataKeys);
                if (materials.EncryptedDataKeys.Count > ushort.MaxValue)
                    throw new KmsException(KmsErrorCodes.Validation, $"A message holds at most {ushort.MaxValue} encrypted data keys.", "KeyId");

                byte[] messageId = new byte[suite.MessageFormatVersion == 1 ? 16 : 32];
                if (fixedMessageId != null) Buffer.BlockCopy(fixedMessageId, 0, messageId, 0, messageId.Length);
                else using (var random = RandomNumberGenerator.Create()) random.GetBytes(messageId);
                byte[] key = MessageKeys.Derive(suite, materials.PlaintextDataKey, messageId, out byte[] commitKey);
                try
                {
                    MessageHeader header = MessageHeader.Create(suite, messageId, context, materials.EncryptedDataKeys.ToList(), (uint)options.FrameLength, commitKey);
                    using (var cipher = new FrameCipher(key))
                    using (IncrementalHash hash = suite.IsSigned ? MessageSignature.NewHash(suite) : null)
                    {
                        var tag = new byte[AlgorithmSuite.TagLength];
                        cipher.Encrypt(new byte[AlgorithmSuite.IvLength], header.Body, new byte[0], 0, 0, new byte[0], 0, tag, 0);
                        header.SetAuthenticationTag(tag);
                        long written = Emit(output, hash, header.Body, header.Body.Length);
                        byte[] authentication = header.Authentication;
                        written += Emit(output, hash, authentication, authentication.Length);

                        long plaintextLength;
                        written += WriteBody(plaintext, output, hash, cipher, new BodyAad(messageId), options, out plaintextLength);

                        if (hash != null)
                        {
                            byte[] signature = MessageSignature.Sign(suite, signingKey, hash.GetHashAndReset());
                            var footer = new byte[2 + signature.Length];
                            footer[0] = (byte)(signature.Length >> 8);
                            footer[1] = (byte)signature.Length;
                            Buffer.BlockCopy(signature, 0, footer, 2, signature.Length);
                            output.Write(footer, 0, footer.Length);
                            written += footer.Length;
                        }
                        output.Flush();
                        return new MessageInfo(header, plaintextLength, written, suite.IsSigned);
                    }
                }
                finally
                {
                    SecureBytes.Clear(key);
                }
            }
        }

        private static AlgorithmSuite SuiteFor(MessageOptions options)
        {
            AlgorithmSuite suite = options.Suite
                ?? (options.CommitmentPolicy == CommitmentPolicy.ForbidEncryptAllowDecrypt ? AlgorithmSuite.ById[0x0378] : AlgorithmSuite.Default);
            if (!MessageOptions.Allows(options.CommitmentPolicy, suite, encrypting: true))
                throw MessageErrors.RefusedByPolicy(suite, options.CommitmentPolicy.ToString(), encrypting: true);
            return suite;
        }

        private static Dictionary<string, string> ValidatedContext(IDictionary<string, string> context)
        {
            var copy = new Dictionary<string, string>(StringComparer.Ordinal);
            if (context == null) return copy;
            foreach (var pair in context)
            {
                if (pair.Key.StartsWith(MessageFormat.ReservedPrefix, StringComparison.Ordinal))
                    throw new KmsException(KmsErrorCodes.Validation,
                        $"The encryption context key '{pair.Key}' starts with '{MessageFormat.ReservedPrefix}', which the AWS Encryption SDK reserves for itself.", "EncryptionContext");
                copy[pair.Key] = pair.Value ?? string.Empty;
            }
            MessageFormat.SerializeContext(copy); // the limits of the header, checked before any KMS call
            return copy;
        }

        private static long Emit(Stream output, IncrementalHash hash, byte[] bytes, int count)
        {
            hash?.AppendData(bytes, 0, count);
            output.Write(bytes, 0, count);
            return count;
        }

        /// <summary>
        /// Framed content: regular frames while more input follows, then the final frame with what remains (a full
        /// frame when the plaintext is a whole number of frames, none when it is empty), as encrypt.md says.
        /// </summary>
        private static long WriteBody(Stream plaintext, Stream output, IncrementalHash hash, FrameCipher cipher, BodyAad aad, MessageOptions options, out long plaintextLength)
        {
            int frame = options.FrameLength;
            int framesPerBatch = Math.Max(1, BatchBytes / frame);
            // One frame more than a batch is read, so that a full batch is never mistaken for the end.
            var input = new byte[(long)frame * (framesPerBatch + 1) > int.MaxValue ? frame * 2 : frame * (framesPerBatch + 1)];
            framesPerBatch = input.Length / frame - 1;
            var sealedBytes = new byte[framesPerBatch * (frame + 4 + AlgorithmSuite.IvLength + AlgorithmSuite.TagLength) + frame + 8 + AlgorithmSuite.IvLength + AlgorithmSuite.TagLength];
            uint sequence = 1;
            long written = 0, consumed = 0;
            int filled = 0;
            try
            {
                while (true)
                {
                    options.CancellationToken.ThrowIfCancellationRequested();
                    filled += Fill(plaintext, input, filled, input.Length - filled);
                    bool atEnd = filled < input.Length;
                    // Everything but the last frame's worth is surely followed by more input; at the end it is all final.
                    int regularFrames = atEnd ? Math.Max(0, (filled - 1) / frame) : framesPerBatch;
                    int at = 0, offset = 0;
                    for (int i = 0; i < regularFrames; i++, offset += frame)
                    {
                        if (sequence == uint.MaxValue) throw new KmsException(KmsErrorCodes.Validation, "The plaintext needs more frames than a message holds (2^32 - 1); use a larger -FrameLength.", "FrameLength");
                        MessageFormat.PutUInt32(sealedBytes, at, sequence);
                        byte[] iv = aad.IvFor(sequence);
                        Buffer.BlockCopy(iv, 0, sealedBytes, at + 4, iv.Length);
                        at += 4 + iv.Length;
                        cipher.Encrypt(iv, aad.ForRegular(sequence, frame), input, offset, frame, sealedBytes, at, sealedBytes, at + frame);
                        at += frame + AlgorithmSuite.TagLength;
                        sequence++;
                    }
                    if (atEnd)
                    {
                        int last = filled - offset;
                        MessageFormat.PutUInt32(sealedBytes, at, uint.MaxValue);
                        MessageFormat.PutUInt32(sealedBytes, at + 4, sequence);
                        byte[] iv = aad.IvFor(sequence);
                        Buffer.BlockCopy(iv, 0, sealedBytes, at + 8, iv.Length);
                        MessageFormat.PutUInt32(sealedBytes, at + 8 + iv.Length, (uint)last);
                        at += 12 + iv.Length;
                        cipher.Encrypt(iv, aad.ForFinal(sequence, last), input, offset, last, sealedBytes, at, sealedBytes, at + last);
                        at += last + AlgorithmSuite.TagLength;
                        written += Emit(output, hash, sealedBytes, at);
                        consumed += filled;
                        options.Progress?.Invoke(consumed);
                        plaintextLength = consumed;
                        return written;
                    }
                    written += Emit(output, hash, sealedBytes, at);
                    consumed += offset;
                    options.Progress?.Invoke(consumed);
                    // The frame held back moves to the front; the next batch reads in behind it.
                    Buffer.BlockCopy(input, offset, input, 0, filled - offset);
                    filled -= offset;
                }
            }
            finally
            {
                SecureBytes.Clear(input);
            }
        }

        private static int Fill(Stream input, byte[] buffer, int offset, int count)
        {
            int total = 0;
            while (total < count)
            {
                int n = input.Read(buffer, offset + total, count - total);
                if (n <= 0) break;
                total += n;
            }
            return total;
        }
    }
}
