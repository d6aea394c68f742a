using System.Linq;
using KmsTools.Local.Seeding;
using Xunit;

namespace KmsTools.Tests
{
    /// <summary>Key material read from a seed file lives no longer than the import (the file's own tests are Seed.Tests.ps1).</summary>
    public sealed class KeyStoreSeedTests
    {
        private const string Seed = "Keys:\n  Symmetric:\n    Aes:\n      - Metadata:\n          KeyId: 0b1c2d3e-1111-4222-8333-444455556666\n        BackingKeys:\n          - 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";

        [Fact]
        public void DisposeZeroesTheKeyMaterial()
        {
            KeyStoreSeed seed = KeyStoreSeed.Parse(Seed, "seed.yaml");
            byte[] material = seed.Keys.Single().Materials.Single();
            Assert.Equal(31, material[31]);
            seed.Dispose();
            Assert.All(material, b => Assert.Equal(0, b));
        }

        [Fact]
        public void ARefusedSeedNamesTheEntry()
        {
            var error = Assert.Throws<KmsException>(() => KeyStoreSeed.Parse(Seed + "        NextKeyRotation: not-a-date\n", "seed.yaml"));
            Assert.Equal("The seed file seed.yaml cannot be imported: Keys.Symmetric.Aes[0].NextKeyRotation 'not-a-date' is not an ISO 8601 date. Nothing was imported.", error.Message);
        }
    }
}
