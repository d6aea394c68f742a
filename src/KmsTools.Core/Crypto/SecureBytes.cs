using System;
using System.Runtime.CompilerServices;

namespace KmsTools.Crypto
{
    /// <summary>Zeroing of secret buffers. NoInlining keeps the JIT from eliding the clear of a dead array.</summary>
    public static class SecureBytes
    {
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
        public static void Clear(byte[] secret)
        {
            if (secret != null) Array.Clear(secret, 0, secret.Length);
        }

        public static void Clear(params byte[][] secrets)
        {
            foreach (var s in secrets) Clear(s);
        }
    }
}
