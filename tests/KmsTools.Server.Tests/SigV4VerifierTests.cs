using System;
using System.Collections.Generic;
using KmsTools.Server;
using KmsTools.Server.Http;
using Xunit;

namespace KmsTools.Server.Tests
{
    /// <summary>
    /// The server's SigV4 check against AWS's own test vector (get-vanilla of the Signature Version 4 test suite,
    /// whose signature botocore computes too), and the answers AWS gives when a signature fails. The end-to-end checks
    /// with the aws CLI, boto3, the .NET and JavaScript SDKs are in tests/Server.Tests.ps1.
    /// </summary>
    public sealed class SigV4VerifierTests
    {
        private const string AccessKey = "AKIDEXAMPLE";
        private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        private const string VanillaSignature = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
        private static readonly DateTime SignedAt = new DateTime(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);

        private static HttpRequest Vanilla(string signature = VanillaSignature, string accessKey = AccessKey, string date = "20150830T123600Z", string signedHeaders = "host;x-amz-date") =>
            new HttpRequest("GET", "/", "HTTP/1.1", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["Host"] = "example.amazonaws.com",
                ["X-Amz-Date"] = date,
                ["Authorization"] = $"AWS4-HMAC-SHA256 Credential={accessKey}/20150830/us-east-1/service/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}",
            }, new byte[0]);

        private static SigV4Verifier Verifier(DateTime now) => new SigV4Verifier(new Dictionary<string, string> { [AccessKey] = Secret }, () => now);

        [Fact]
        public void AcceptsAwsPublishedTestVector()
        {
            Assert.Null(Verifier(SignedAt).Check(Vanilla()));
            Assert.Null(Verifier(SignedAt.AddMinutes(14)).Check(Vanilla()));
        }

        [Fact]
        public void AnswersAsAwsDoesWhenTheSignatureFails()
        {
            KmsException wrong = Verifier(SignedAt).Check(Vanilla(signature: new string('0', 64)));
            Assert.Equal("InvalidSignatureException", wrong.ErrorCode);
            Assert.Equal("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.", wrong.Message);

            KmsException unknown = Verifier(SignedAt).Check(Vanilla(accessKey: "AKIDOTHER"));
            Assert.Equal("UnrecognizedClientException", unknown.ErrorCode);
            Assert.Equal("The security token included in the request is invalid.", unknown.Message);

            KmsException expired = Verifier(SignedAt.AddMinutes(20)).Check(Vanilla());
            Assert.Equal("InvalidSignatureException", expired.ErrorCode);
            Assert.Equal("Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z (20150830T125600Z - 15 min.)", expired.Message);

            Assert.Equal("InvalidSignatureException", Verifier(SignedAt).Check(Vanilla(signedHeaders: "x-amz-date")).ErrorCode);
            var unsigned = new HttpRequest("POST", "/", "HTTP/1.1", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), new byte[0]);
            Assert.Equal("MissingAuthenticationTokenException", Verifier(SignedAt).Check(unsigned).ErrorCode);
        }

        [Fact]
        public void ABodyChangedAfterSigningFails()
        {
            HttpRequest request = Vanilla();
            var tampered = new HttpRequest(request.Method, request.Target, request.Version, request.Headers, new byte[] { (byte)'{', (byte)'}' });
            Assert.Equal("InvalidSignatureException", Verifier(SignedAt).Check(tampered).ErrorCode);
        }
    }
}
