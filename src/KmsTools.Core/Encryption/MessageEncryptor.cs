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
    /// read in batches of frames, which are read, encrypted on every core, hashed for the signature and written at once (<see cref="FramePipeline"/>).
    /// </summary>
    public static class MessageEncryptor
    {
        /// <summary>
        /// Frames are read, encrypted and written this many bytes at a time (at least one frame). Small enough that the
        /// batches in flight, plaintext and sealed, stay in the L3 cache between the read, the cipher and the write:
        /// into memory, 0x0478 ran at 2.1-3.8 GB/s with 1 MiB batches against 1.6-2.4 with 2 or 4 MiB.
        /// </summary>
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
                // The signing key's entry counts in the header's limit too: checked before any keyring's work.
                Validation.EncryptionContext("EncryptionContext", context);
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

                int idLength = suite.MessageFormatVersion == 1 ? 16 : 32;
                byte[] messageId = fixedMessageId?.Take(idLength).ToArray() ?? Randomness.Bytes(idLength);
                byte[] key = MessageKeys.Derive(suite, materials.PlaintextDataKey, messageId, out byte[] commitKey);
                try
                {
                    MessageHeader header = MessageHeader.Create(suite, messageId, context, materials.EncryptedDataKeys.ToList(), (uint)options.FrameLength, commitKey);
                    using (IncrementalHash hash = suite.IsSigned ? MessageSignature.NewHash(suite) : null)
                    {
                        var tag = new byte[AlgorithmSuite.TagLength];
                        using (var cipher = new FrameCipher(key))
                            cipher.Encrypt(new byte[AlgorithmSuite.IvLength], header.Body, new byte[0], 0, 0, new byte[0], 0, tag, 0);
                        header.SetAuthenticationTag(tag);
                        long written = Emit(output, hash, header.Body, header.Body.Length);
                        written += Emit(output, hash, header.Authentication, header.Authentication.Length);

                        long plaintextLength;
                        written += WriteBody(plaintext, output, hash, key, messageId, options, out plaintextLength);

                        if (hash != null)
                        {
                            byte[] signature = MessageSignature.Sign(suite, signingKey, hash.GetHashAndReset());
                            MessageFormat.WriteField(output, signature); // the footer: uint16 length, signature
                            written += 2 + signature.Length;
                        }
                        output.Flush();
                        return new MessageInfo(header, plaintextLength, written);
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
            Validation.EncryptionContext("EncryptionContext", copy); // the user's own context, named as given
            return copy;
        }

        private static long Emit(Stream output, IncrementalHash hash, byte[] bytes, int count)
        {
            FramePipeline.WriteWhileHashing(output, bytes, count, hash, bytes, count);
            return count;
        }

        /// <summary>A batch of plaintext frames and the frames they encrypt to.</summary>
        private sealed class Batch
        {
            public byte[] Plain;
            public int PlainLength;
            public bool Final;
            public uint FirstSequence;
            public byte[] Sealed;
            public int SealedLength;
        }

        /// <summary>
        /// Framed content: regular frames while more input follows, then the final frame with what remains (a full
        /// frame when the plaintext is a whole number of frames, none when it is empty), as encrypt.md says. Batches
        /// are read, encrypted (on every core) and written (hashed first, for the signature) at the same time.
        /// </summary>
        private static long WriteBody(Stream plaintext, Stream output, IncrementalHash hash, byte[] key, byte[] messageId, MessageOptions options, out long plaintextLength)
        {
            int frame = options.FrameLength;
            const int overhead = 4 + AlgorithmSuite.IvLength + AlgorithmSuite.TagLength;
            int framesPerBatch = FramesPerBatch(plaintext, frame, frame, out int batches);
            var pool = new Batch[Math.Min(batches, BatchesInFlight(frame * framesPerBatch))];
            for (int i = 0; i < pool.Length; i++)
                pool[i] = new Batch { Plain = new byte[frame * framesPerBatch], Sealed = new byte[framesPerBatch * (frame + overhead) + 8] };
            uint nextSequence = 1;
            int carry = -1;
            long written = 0, consumed = 0;

            bool Produce(Batch batch)
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                int filled = 0;
                if (carry >= 0) batch.Plain[filled++] = (byte)carry;
                filled += MessageReader.Fill(plaintext, batch.Plain, filled, batch.Plain.Length - filled);
                // A full batch is the last only when nothing follows it: one byte is read ahead to know.
                carry = filled < batch.Plain.Length ? -1 : plaintext.ReadByte();
                batch.PlainLength = filled;
                batch.Final = carry < 0;
                batch.FirstSequence = nextSequence;
                long frames = batch.Final ? Math.Max(0, (filled - 1) / frame) + 1 : filled / frame;
                if (nextSequence + frames - 1 >= uint.MaxValue)
                    throw new KmsException(KmsErrorCodes.Validation, "The plaintext needs more frames than a message holds (2^32 - 1); use a larger -FrameLength.", "FrameLength");
                nextSequence += (uint)frames;
                return !batch.Final;
            }

            void Transform(Batch batch)
            {
                int regular = batch.Final ? Math.Max(0, (batch.PlainLength - 1) / frame) : batch.PlainLength / frame;
                FramePipeline.ForParts(regular, pool.Length == 1, () => new FrameCipher(key), (cipher, from, to) =>
                {
                    var aad = new BodyAad(messageId);
                    for (int i = from; i < to; i++)
                    {
                        uint sequence = batch.FirstSequence + (uint)i;
                        int at = i * (frame + overhead);
                        MessageFormat.PutUInt32(batch.Sealed, at, sequence);
                        byte[] iv = aad.IvFor(sequence);
                        Buffer.BlockCopy(iv, 0, batch.Sealed, at + 4, iv.Length);
                        at += 4 + iv.Length;
                        cipher.Encrypt(iv, aad.ForRegular(sequence, frame), batch.Plain, i * frame, frame, batch.Sealed, at, batch.Sealed, at + frame);
                    }
                });
                batch.SealedLength = regular * (frame + overhead);
                if (!batch.Final) return;
                int last = batch.PlainLength - regular * frame, end = batch.SealedLength;
                uint finalSequence = batch.FirstSequence + (uint)regular;
                using (var cipher = new FrameCipher(key))
                {
                    var aad = new BodyAad(messageId);
                    MessageFormat.PutUInt32(batch.Sealed, end, uint.MaxValue);
                    MessageFormat.PutUInt32(batch.Sealed, end + 4, finalSequence);
                    byte[] iv = aad.IvFor(finalSequence);
                    Buffer.BlockCopy(iv, 0, batch.Sealed, end + 8, iv.Length);
                    MessageFormat.PutUInt32(batch.Sealed, end + 8 + iv.Length, (uint)last);
                    end += 12 + iv.Length;
                    cipher.Encrypt(iv, aad.ForFinal(finalSequence, last), batch.Plain, regular * frame, last, batch.Sealed, end, batch.Sealed, end + last);
                    batch.SealedLength = end + last + AlgorithmSuite.TagLength;
                }
            }

            void Consume(Batch batch)
            {
                written += Emit(output, hash, batch.Sealed, batch.SealedLength);
                consumed += batch.PlainLength;
                options.Progress?.Invoke(consumed);
            }

            try
            {
                FramePipeline.Run(pool, Produce, Transform, Consume, FramePipeline.TransformLanes(hash != null), options.CancellationToken);
                plaintextLength = consumed;
                return written;
            }
            finally
            {
                foreach (Batch batch in pool) SecureBytes.Clear(batch.Plain);
            }
        }

        /// <summary>
        /// Frames per batch: <see cref="BatchBytes"/> worth, or fewer when the input is known to be smaller (a stream
        /// that can seek), so that a short message costs no 1 MiB buffers; <paramref name="batches"/> is how many it
        /// needs at most (int.MaxValue when unknown).
        /// </summary>
        internal static int FramesPerBatch(Stream input, int frame, int bytesPerFrame, out int batches)
        {
            int most = Math.Max(1, BatchBytes / frame);
            batches = int.MaxValue;
            if (!input.CanSeek) return most;
            long remaining;
            try
            {
                remaining = Math.Max(0, input.Length - input.Position);
            }
            catch (NotSupportedException)
            {
                return most;
            }
            long frames = remaining / bytesPerFrame + 1;
            if (frames >= most)
            {
                batches = (int)Math.Min(int.MaxValue, frames / most + 1);
                return most;
            }
            batches = 1;
            return (int)frames;
        }

        /// <summary>How many batches are in flight: enough to keep reading, encrypting and writing busy, within 64 MiB of plaintext.</summary>
        internal static int BatchesInFlight(int batchBytes) => Math.Max(2, Math.Min(4, (64 << 20) / Math.Max(1, batchBytes)));
    }
}
