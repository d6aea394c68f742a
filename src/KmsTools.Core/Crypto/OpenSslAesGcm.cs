#if NET
using System;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace KmsTools.Crypto
{
    /// <summary>
    /// AES-GCM (128, 192, 256) through OpenSSL's EVP interface, the library .NET's own AesGcm calls on Linux, for a cipher that
    /// seals many small frames under one key. AesGcm sets the key (its schedule and GHASH tables) again on every
    /// call; on 4 KiB frames that costs a third of the time. Here each context is keyed once, and a frame sets only
    /// its IV, as <c>openssl speed -evp</c> does. Where no libcrypto 3 or 1.1 loads (Windows, macOS), or it fails a
    /// known-answer check against AesGcm, <see cref="Available"/> is false and callers use AesGcm.
    /// Not thread-safe: one per thread. Dispose frees the contexts, which OpenSSL cleanses of the key.
    /// </summary>
    internal sealed unsafe class OpenSslAesGcm : IDisposable
    {
        private const int CtrlGcmGetTag = 0x10, CtrlGcmSetTag = 0x11, TagLength = 16;

        private static readonly Native Api = Native.Load();

        /// <summary>Whether this process can use it: libcrypto loaded and agreed with AesGcm on a known answer.</summary>
        public static bool Available { get; } = Api != null && AgreesWithPlatform();

        private readonly byte[] _key;
        private IntPtr _encrypt, _decrypt;

        /// <summary>Only where <see cref="Available"/> says so (the known-answer check itself makes one before).</summary>
        public OpenSslAesGcm(byte[] key)
        {
            if (Api == null) throw new PlatformNotSupportedException("OpenSSL's EVP AES-GCM is not available in this process.");
            if (key.Length != 16 && key.Length != 24 && key.Length != 32) throw new ArgumentException("AES-GCM takes a 16, 24 or 32-byte key.", nameof(key));
            _key = (byte[])key.Clone();
        }

        public void Encrypt(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> input, Span<byte> output, Span<byte> tag)
        {
            if (output.Length < input.Length || tag.Length < TagLength || iv.Length != 12) throw new ArgumentException("Wrong buffer sizes for AES-GCM.");
            IntPtr ctx = Context(ref _encrypt, 1);
            fixed (byte* v = iv, a = aad, i = input, o = output, t = tag)
            {
                int written;
                Process(ctx, 1, v, a, aad.Length, i, o, input.Length);
                Check(Api.CipherFinal(ctx, o + input.Length, &written), "EVP_CipherFinal_ex");
                Check(Api.Ctrl(ctx, CtrlGcmGetTag, TagLength, t), "EVP_CTRL_GCM_GET_TAG");
            }
        }

        /// <summary>False when the tag does not verify; <paramref name="output"/> is then zeroed, never left holding unauthenticated text.</summary>
        public bool TryDecrypt(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> input, ReadOnlySpan<byte> tag, Span<byte> output)
        {
            if (output.Length < input.Length || tag.Length != TagLength || iv.Length != 12) throw new ArgumentException("Wrong buffer sizes for AES-GCM.");
            IntPtr ctx = Context(ref _decrypt, 0);
            fixed (byte* v = iv, a = aad, i = input, o = output, t = tag)
            {
                int written;
                Process(ctx, 0, v, a, aad.Length, i, o, input.Length);
                Check(Api.Ctrl(ctx, CtrlGcmSetTag, TagLength, t), "EVP_CTRL_GCM_SET_TAG");
                if (Api.CipherFinal(ctx, o + input.Length, &written) == 1) return true;
            }
            // A failed final leaves OpenSSL's error queue holding the reason; it is this thread's, so clear it.
            Api.ClearErrors();
            CryptographicOperations.ZeroMemory(output.Slice(0, input.Length));
            return false;
        }

        /// <summary>A frame's IV, its AAD, then its text, through a context keyed already.</summary>
        private static void Process(IntPtr ctx, int encrypt, byte* iv, byte* aad, int aadLength, byte* input, byte* output, int length)
        {
            int written;
            Check(Api.CipherInit(ctx, IntPtr.Zero, IntPtr.Zero, null, iv, encrypt), "EVP_CipherInit_ex");
            if (aadLength > 0) Check(Api.CipherUpdate(ctx, null, &written, aad, aadLength), "EVP_CipherUpdate (AAD)");
            if (length > 0) Check(Api.CipherUpdate(ctx, output, &written, input, length), "EVP_CipherUpdate");
        }

        private IntPtr Context(ref IntPtr slot, int encrypt)
        {
            if (slot != IntPtr.Zero) return slot;
            if (_key == null) throw new ObjectDisposedException(nameof(OpenSslAesGcm));
            IntPtr ctx = Api.NewContext();
            if (ctx == IntPtr.Zero) throw new CryptographicException("OpenSSL could not allocate a cipher context.");
            fixed (byte* k = _key)
            {
                IntPtr cipher = _key.Length == 32 ? Api.Aes256Gcm() : _key.Length == 24 ? Api.Aes192Gcm() : Api.Aes128Gcm();
                if (Api.CipherInit(ctx, cipher, IntPtr.Zero, k, null, encrypt) != 1)
                {
                    Api.FreeContext(ctx);
                    Fail("EVP_CipherInit_ex (key)");
                }
            }
            slot = ctx;
            return ctx;
        }

        private static void Check(int result, string call)
        {
            if (result != 1) Fail(call);
        }

        private static void Fail(string call)
        {
            Api.ClearErrors();
            throw new CryptographicException($"OpenSSL's {call} failed in AES-GCM.");
        }

        public void Dispose()
        {
            if (_encrypt != IntPtr.Zero) Api.FreeContext(_encrypt);
            if (_decrypt != IntPtr.Zero) Api.FreeContext(_decrypt);
            _encrypt = _decrypt = IntPtr.Zero;
            if (_key != null) CryptographicOperations.ZeroMemory(_key);
        }

        /// <summary>Seals and opens a random frame both ways and compares with AesGcm: a library that loads but answers differently is never used.</summary>
        private static bool AgreesWithPlatform()
        {
            try
            {
                if (!AesGcm.IsSupported) return false;
                byte[] key = RandomNumberGenerator.GetBytes(32), iv = RandomNumberGenerator.GetBytes(12), aad = RandomNumberGenerator.GetBytes(29), plain = RandomNumberGenerator.GetBytes(1000);
                byte[] expected = new byte[plain.Length], expectedTag = new byte[TagLength], actual = new byte[plain.Length], actualTag = new byte[TagLength], opened = new byte[plain.Length];
                using (var platform = new AesGcm(key, TagLength)) platform.Encrypt(iv, plain, expected, expectedTag, aad);
                using (var ours = new OpenSslAesGcm(key))
                {
                    ours.Encrypt(iv, aad, plain, actual, actualTag);
                    if (!actual.AsSpan().SequenceEqual(expected) || !actualTag.AsSpan().SequenceEqual(expectedTag)) return false;
                    if (!ours.TryDecrypt(iv, aad, actual, actualTag, opened) || !opened.AsSpan().SequenceEqual(plain)) return false;
                    actualTag[0] ^= 1;
                    return !ours.TryDecrypt(iv, aad, actual, actualTag, opened);
                }
            }
            catch (Exception e) when (e is CryptographicException || e is EntryPointNotFoundException || e is DllNotFoundException)
            {
                return false;
            }
        }

        /// <summary>The libcrypto entry points, bound once; null where no libcrypto loads.</summary>
        private sealed class Native
        {
            public delegate* unmanaged<IntPtr> NewContext;
            public delegate* unmanaged<IntPtr, void> FreeContext;
            public delegate* unmanaged<IntPtr> Aes128Gcm, Aes192Gcm, Aes256Gcm;
            public delegate* unmanaged<IntPtr, IntPtr, IntPtr, byte*, byte*, int, int> CipherInit;
            public delegate* unmanaged<IntPtr, byte*, int*, byte*, int, int> CipherUpdate;
            public delegate* unmanaged<IntPtr, byte*, int*, int> CipherFinal;
            public delegate* unmanaged<IntPtr, int, int, byte*, int> Ctrl;
            public delegate* unmanaged<void> ClearErrors;

            public static Native Load()
            {
                if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return null;
                if (Environment.GetEnvironmentVariable("KMSTOOLS_NO_OPENSSL_EVP") == "1") return null;
                foreach (string name in new[] { "libcrypto.so.3", "libcrypto.so.1.1" })
                {
                    if (!NativeLibrary.TryLoad(name, out IntPtr library)) continue;
                    try
                    {
                        return new Native
                        {
                            NewContext = (delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(library, "EVP_CIPHER_CTX_new"),
                            FreeContext = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(library, "EVP_CIPHER_CTX_free"),
                            Aes128Gcm = (delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(library, "EVP_aes_128_gcm"),
                            Aes192Gcm = (delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(library, "EVP_aes_192_gcm"),
                            Aes256Gcm = (delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(library, "EVP_aes_256_gcm"),
                            CipherInit = (delegate* unmanaged<IntPtr, IntPtr, IntPtr, byte*, byte*, int, int>)NativeLibrary.GetExport(library, "EVP_CipherInit_ex"),
                            CipherUpdate = (delegate* unmanaged<IntPtr, byte*, int*, byte*, int, int>)NativeLibrary.GetExport(library, "EVP_CipherUpdate"),
                            CipherFinal = (delegate* unmanaged<IntPtr, byte*, int*, int>)NativeLibrary.GetExport(library, "EVP_CipherFinal_ex"),
                            Ctrl = (delegate* unmanaged<IntPtr, int, int, byte*, int>)NativeLibrary.GetExport(library, "EVP_CIPHER_CTX_ctrl"),
                            ClearErrors = (delegate* unmanaged<void>)NativeLibrary.GetExport(library, "ERR_clear_error"),
                        };
                    }
                    catch (EntryPointNotFoundException)
                    {
                        NativeLibrary.Free(library);
                    }
                }
                return null;
            }
        }
    }
}
#endif
