using System;
using System.Reflection;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Signers;

namespace KmsTools.Crypto
{
    /// <summary>
    /// Signing what the caller already hashed, for the two algorithms whose hash BouncyCastle computes inside the
    /// signer: SM2DSA of a DIGEST (e = SM3(Z(A) || M), which the caller computed with the default distinguishing id) and
    /// ML-DSA of an EXTERNAL_MU (FIPS 204's mu = SHAKE256(tr || M', 64), Algorithm 7 step 6). The signature math stays
    /// BouncyCastle's: these classes only hand its signer the value it would have hashed to.
    /// </summary>
    internal static class PrecomputedMessageRepresentative
    {
        // BouncyCastle 2.7 has no public sign-from-mu: MLDsaSigner hashes the message into this SHAKE256 state and
        // squeezes mu from it first, then reuses the state for the rest of FIPS 204's hashing. The engine swaps in a
        // state whose first squeeze is the caller's mu; when a later BouncyCastle renames the field, EXTERNAL_MU is
        // refused by name (SupportsExternalMu) rather than signed wrongly.
        private static readonly FieldInfo MLDsaMessageDigest = typeof(MLDsaSigner).GetField("m_msgRepDigest", BindingFlags.NonPublic | BindingFlags.Instance) is FieldInfo field
            && field.FieldType == typeof(ShakeDigest) ? field : null;

        public static bool SupportsExternalMu => MLDsaMessageDigest != null;

        /// <summary>Makes an initialised MLDsaSigner sign (or verify) the given 64-byte mu instead of a message.</summary>
        public static void UseExternalMu(MLDsaSigner signer, byte[] mu)
        {
            if (MLDsaMessageDigest == null) throw new NotSupportedException("This BouncyCastle has no way to sign an ML-DSA external mu.");
            MLDsaMessageDigest.SetValue(signer, new ExternalMuDigest(mu));
        }

        /// <summary>SHAKE256 whose first output is a given mu; every later output is SHAKE256's own.</summary>
        private sealed class ExternalMuDigest : ShakeDigest
        {
            private byte[] _mu;

            public ExternalMuDigest(byte[] mu) : base(256) => _mu = (byte[])mu.Clone();

            private bool TakeMu(byte[] output, int offset, int length)
            {
                if (_mu == null) return false;
                if (length != _mu.Length) throw new InvalidOperationException($"ML-DSA asked for a {length}-byte message representative, not the 64-byte mu.");
                Buffer.BlockCopy(_mu, 0, output, offset, length);
                SecureBytes.Clear(_mu);
                _mu = null;
                Reset(); // what the signer absorbed before (tr and the context prefix) is mu's input, not the next hash's
                return true;
            }

            public override int OutputFinal(byte[] output, int outOff, int outLen) => TakeMu(output, outOff, outLen) ? outLen : base.OutputFinal(output, outOff, outLen);
            public override int DoFinal(byte[] output, int outOff) => TakeMu(output, outOff, GetDigestSize()) ? GetDigestSize() : base.DoFinal(output, outOff);

            public override int Output(byte[] output, int outOff, int outLen)
            {
                if (_mu != null) throw new InvalidOperationException("ML-DSA squeezed its message representative in parts.");
                return base.Output(output, outOff, outLen);
            }
#if NET
            public override int OutputFinal(Span<byte> output)
            {
                if (_mu == null) return base.OutputFinal(output);
                byte[] mu = new byte[output.Length];
                TakeMu(mu, 0, mu.Length);
                mu.CopyTo(output);
                SecureBytes.Clear(mu);
                return output.Length;
            }

            public override int DoFinal(Span<byte> output) => _mu == null ? base.DoFinal(output) : OutputFinal(output.Slice(0, GetDigestSize()));

            public override int Output(Span<byte> output)
            {
                if (_mu != null) throw new InvalidOperationException("ML-DSA squeezed its message representative in parts.");
                return base.Output(output);
            }
#endif
        }

        /// <summary>
        /// A "digest" that is the SM2 hash e the caller computed: SM2Signer asks its digest for Z(A) at Init and for e
        /// at signing; both answers are e, and only the second one is used for the signature.
        /// </summary>
        public sealed class Sm2Digest : IDigest
        {
            private readonly byte[] _e;

            public Sm2Digest(byte[] e) => _e = (byte[])e.Clone();

            public string AlgorithmName => "SM3 (precomputed)";
            public int GetDigestSize() => _e.Length;
            public int GetByteLength() => 64;
            public void Update(byte input) { }
            public void BlockUpdate(byte[] input, int inOff, int inLen) { }
#if NET
            public void BlockUpdate(ReadOnlySpan<byte> input) { }
            public int DoFinal(Span<byte> output) { _e.CopyTo(output); return _e.Length; }
#endif
            public int DoFinal(byte[] output, int outOff) { Buffer.BlockCopy(_e, 0, output, outOff, _e.Length); return _e.Length; }
            public void Reset() { }
        }
    }
}
