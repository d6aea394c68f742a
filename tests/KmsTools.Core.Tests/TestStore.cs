using System;
using System.IO;
using KmsTools.Local;
using KmsTools.Model;

namespace KmsTools.Tests
{
    /// <summary>A local engine over a fresh temporary store, deleted afterwards. Never the user's store.</summary>
    public sealed class TestStore : IDisposable
    {
        public TestStore(string region = "us-east-1")
        {
            Home = Path.Combine(Path.GetTempPath(), "kmstools-xunit-" + Guid.NewGuid().ToString("N"));
            Kms = new LocalKmsBackend(new LocalKmsOptions { Home = Home, Region = region, AccountId = "111122223333" });
        }

        public string Home { get; }
        public LocalKmsBackend Kms { get; }

        public KeyMetadata NewSymmetricKey(string alias = null)
        {
            KeyMetadata key = Kms.CreateKey(new CreateKeyRequest { Description = "test" }).KeyMetadata;
            if (alias != null) Kms.CreateAlias(new CreateAliasRequest { AliasName = alias, TargetKeyId = key.KeyId });
            return key;
        }

        internal void SetState(string keyId, string state)
        {
            KeyRecord record = Kms.Store.TryReadKey(keyId);
            record.KeyState = state;
            Kms.Store.ReplaceKey(record);
        }

        public static bool IsWindows => System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);

        /// <summary>A file's permission bits in octal ("600"), as stat(1) prints them: the same on .NET and on Mono.</summary>
        public static string UnixMode(string path)
        {
            var start = new System.Diagnostics.ProcessStartInfo("stat", "-c %a \"" + path + "\"") { RedirectStandardOutput = true, UseShellExecute = false };
            using (var stat = System.Diagnostics.Process.Start(start))
            {
                string mode = stat.StandardOutput.ReadToEnd().Trim();
                stat.WaitForExit();
                return mode;
            }
        }

        public void Dispose()
        {
            try { Directory.Delete(Home, true); } catch (IOException) { }
        }
    }
}
