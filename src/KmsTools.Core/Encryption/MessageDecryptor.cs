using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
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
                        hash.AppendData(header.Authentication);
                    }
                    long plaintextLength;
                    if (header.IsFramed) plaintextLength = ReadFrames(reader, message, output, key, header, hash, options);
                    else
                    {
                        reader.Digest = hash;
                        plaintextLength = ReadSingleBlock(reader, output, cipher, header, options);
                    }
                    if (hash != null)
                    {
                        reader.Digest = null;
                        reader.Part = "the footer";
                        byte[] signature = reader.ReadBytes(reader.ReadUInt16());
                        if (!MessageSignature.Verify(suite, verificationKey, hash.GetHashAndReset(), signature)) throw MessageErrors.SignatureInvalid();
                    }
                    if (!reader.AtEnd()) throw MessageErrors.TrailingBytes();
                    output.Flush();
                    return new MessageInfo(header, plaintextLength, reader.Position);
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
            string wrappedBy = string.Join("; ", header.EncryptedDataKeys);
            string given = string.Join(", ", (keyrings ?? new IKeyring[0]).Select(k => k.Description));
            string why = failures.Count == 0 ? string.Empty : " Attempts: " + string.Join(" | ", failures);
            throw new KmsException(KmsErrorCodes.IncorrectKey,
                $"None of the keys given ({given}) opens the message's data key, which is encrypted under: {wrappedBy}.{why}");
        }

        /// <summary>A batch of frames as they are in the message (so that they hash as they are) and the plaintext they decrypt to.</summary>
        private sealed class Batch
        {
            public byte[] Raw;
            public int RawLength;
            public int[] IvAt;
            public uint FirstSequence;
            public int Regular;
            public bool HasFinal;
            public int FinalLength;
            public byte[] Plain;
            public long Position;
        }

        /// <summary>
        /// Framed content, read, decrypted (on every core), hashed and written at the same time: the reading stage checks
        /// the framing (sequence numbers in order, the final frame no longer than the frame length); a frame whose tag
        /// does not verify stops everything, and the first such frame is the one named. The signature's hash runs on
        /// the calling thread over each batch's bytes as read, beside the reading and the decryption of the next.
        /// </summary>
        private static long ReadFrames(MessageReader reader, Stream message, Stream output, byte[] key, MessageHeader header, IncrementalHash hash, MessageOptions options)
        {
            if (header.FrameLength > MessageOptions.MaxFrameLength)
                throw new KmsException(KmsErrorCodes.LimitExceeded, $"The message's frame length is {header.FrameLength} bytes; this module decrypts frames of at most {MessageOptions.MaxFrameLength}.");
            int frame = (int)header.FrameLength;
            const int iv = AlgorithmSuite.IvLength, tag = AlgorithmSuite.TagLength;
            int slot = iv + frame + tag;
            int framesPerBatch = MessageEncryptor.FramesPerBatch(message, frame, 4 + slot, out int batches);
            var pool = new Batch[Math.Min(batches, MessageEncryptor.BatchesInFlight(frame * framesPerBatch))];
            for (int i = 0; i < pool.Length; i++)
                pool[i] = new Batch { Raw = new byte[framesPerBatch * (4 + slot) + 8], IvAt = new int[framesPerBatch], Plain = new byte[framesPerBatch * frame] };
            uint expected = 1;
            long total = 0;

            void CheckSequence(uint sequence)
            {
                if (sequence != expected)
                    throw MessageErrors.Malformed($"frame {expected}", $"its sequence number is {sequence}: frames are missing, repeated or out of order.");
            }

            void AcceptRegular(Batch batch, int ivAt)
            {
                batch.IvAt[batch.Regular++] = ivAt;
                if (expected == uint.MaxValue - 1) throw MessageErrors.Malformed("the body", "it has more frames than a message may.");
                expected++;
            }

            bool Produce(Batch batch)
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                byte[] raw = batch.Raw;
                int at = 0;
                batch.FirstSequence = expected;
                batch.Regular = 0;
                batch.HasFinal = false;
                // Regular frames are all one size: the batch's worth is read at once and checked in place. Where a final
                // frame begins, or the input runs short, what was read past the last whole regular frame is given back,
                // and the rest is read field by field.
                int read = reader.ReadUpTo(raw, 0, framesPerBatch * (4 + slot));
                while (at + 4 + slot <= read)
                {
                    uint sequence = MessageFormat.GetUInt32(raw, at);
                    if (sequence == uint.MaxValue) break;
                    CheckSequence(sequence);
                    AcceptRegular(batch, at + 4);
                    at += 4 + slot;
                }
                reader.Unread(raw, at, read - at);
                while (batch.Regular < framesPerBatch)
                {
                    reader.AtFrame(expected);
                    reader.ReadExactly(raw, at, 4);
                    uint sequence = MessageFormat.GetUInt32(raw, at);
                    at += 4;
                    bool final = sequence == uint.MaxValue;
                    if (final)
                    {
                        reader.ReadExactly(raw, at, 4);
                        sequence = MessageFormat.GetUInt32(raw, at);
                        at += 4;
                    }
                    CheckSequence(sequence);
                    if (!final)
                    {
                        reader.ReadExactly(raw, at, slot); // IV, content and tag: one read
                        AcceptRegular(batch, at);
                        at += slot;
                        continue;
                    }
                    batch.IvAt[batch.Regular] = at;
                    reader.ReadExactly(raw, at, iv + 4);
                    uint stated = MessageFormat.GetUInt32(raw, at + iv);
                    if (stated > header.FrameLength)
                        throw MessageErrors.Malformed($"frame {expected}", $"the final frame says {stated} bytes, more than the frame length {header.FrameLength}.");
                    reader.ReadExactly(raw, at + iv + 4, (int)stated + tag);
                    batch.HasFinal = true;
                    batch.FinalLength = (int)stated;
                    batch.RawLength = at + iv + 4 + (int)stated + tag;
                    batch.Position = reader.Position;
                    return false;
                }
                batch.RawLength = at;
                batch.Position = reader.Position;
                return true;
            }

            void Transform(Batch batch)
            {
                int frames = batch.Regular + (batch.HasFinal ? 1 : 0);
                long firstFailure = long.MaxValue;
                FramePipeline.ForParts(frames, pool.Length == 1, () => new FrameCipher(key), (cipher, from, to) =>
                {
                    var aad = new BodyAad(header.MessageId);
                    var nonce = new byte[iv];
                    for (int i = from; i < to; i++)
                    {
                        bool final = i == batch.Regular;
                        int length = final ? batch.FinalLength : frame;
                        int content = batch.IvAt[i] + iv + (final ? 4 : 0);
                        uint sequence = batch.FirstSequence + (uint)i;
                        Buffer.BlockCopy(batch.Raw, batch.IvAt[i], nonce, 0, iv);
                        byte[] frameAad = final ? aad.ForFinal(sequence, length) : aad.ForRegular(sequence, length);
                        if (!cipher.TryDecrypt(nonce, frameAad, batch.Raw, content, length, batch.Raw, content + length, batch.Plain, i * frame))
                        {
                            long seen;
                            while (sequence < (seen = Interlocked.Read(ref firstFailure)) && Interlocked.CompareExchange(ref firstFailure, sequence, seen) != seen) { }
                            return;
                        }
                    }
                });
                if (firstFailure != long.MaxValue) throw MessageErrors.FrameNotAuthentic((uint)firstFailure);
            }

            void Consume(Batch batch)
            {
                int length = batch.Regular * frame + (batch.HasFinal ? batch.FinalLength : 0);
                FramePipeline.WriteWhileHashing(output, batch.Plain, length, hash, batch.Raw, batch.RawLength);
                total += length;
                options.Progress?.Invoke(batch.Position);
            }

            try
            {
                FramePipeline.Run(pool, Produce, Transform, Consume, FramePipeline.TransformLanes(hash != null), options.CancellationToken);
                return total;
            }
            finally
            {
                foreach (Batch batch in pool) SecureBytes.Clear(batch.Plain);
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
                    throw MessageErrors.BodyNotAuthentic();
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
