using System;
using System.Threading;
using KmsTools.Crypto;
using Xunit;

namespace KmsTools.Tests
{
    /// <summary>The pool is process-wide: while these tests hold it, no other test may take RSA keys from it.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class RsaKeyPoolCollection
    {
        public const string Name = "RSA key pool (process-wide state)";
    }

    [Collection(RsaKeyPoolCollection.Name)]
    public class RsaKeyPoolTests
    {
        private static void WaitFor(Func<bool> condition)
        {
            DateTime deadline = DateTime.UtcNow.AddSeconds(60);
            while (!condition() && DateTime.UtcNow < deadline) Thread.Sleep(20);
            Assert.True(condition(), "the pool did not fill in 60 s");
        }

        [Fact]
        public void IsOffByDefaultAndHandsOutEachPooledKeyOnce()
        {
            Assert.Equal(0, RsaKeyPool.Depth);
            try
            {
                RsaKeyPool.Depth = 1;
                RsaKeyPool.Refill(2048);
                WaitFor(() => RsaKeyPool.Available(2048) == 1);
                using (GeneratedKeyPair first = KeyPairGenerator.Generate("RSA_2048"))
                {
                    Assert.Equal(first.PublicKeyInfo, KeyPairGenerator.PublicKeyInfoOf(first.PrivateKeyPkcs8));
                    WaitFor(() => RsaKeyPool.Available(2048) == 1); // taking a key starts a refill
                    using (GeneratedKeyPair second = KeyPairGenerator.Generate("RSA_2048"))
                        Assert.NotEqual(first.PublicKeyInfo, second.PublicKeyInfo);
                }
            }
            finally
            {
                RsaKeyPool.Depth = 0;
            }
            WaitFor(() => RsaKeyPool.Available(2048) == 0);
        }
    }
}
