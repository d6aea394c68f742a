using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using KmsTools.Server.Http;

namespace KmsTools.Server
{
    /// <summary>
    /// Checks a request's AWS Signature Version 4 against the server's configured credentials, by AWS's published
    /// rules (the canonical request of method, path, query, the signed headers and the body's SHA-256; the string to
    /// sign over the credential scope; the key derived from the secret by date, region and service), and answers
    /// as AWS does when it fails. HMAC-SHA256 and SHA-256 come from the platform.
    /// </summary>
    public sealed class SigV4Verifier
    {
        private const string Algorithm = "AWS4-HMAC-SHA256";
        private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);
        private readonly Dictionary<string, string> _secrets;
        private readonly Func<DateTime> _now;

        /// <param name="secrets">Secret access keys by access key id.</param>
        /// <param name="now">The clock (tests give a fixed one).</param>
        public SigV4Verifier(IDictionary<string, string> secrets, Func<DateTime> now = null)
        {
            if (secrets == null || secrets.Count == 0) throw new ArgumentException("At least one access key is needed.", nameof(secrets));
            _secrets = new Dictionary<string, string>(secrets, StringComparer.Ordinal);
            _now = now ?? (() => DateTime.UtcNow);
        }

        /// <summary>Null when the signature is valid; otherwise the KMS error (name and AWS's message) to answer with.</summary>
        internal KmsException Check(HttpRequest request)
        {
            string authorization = request.Header("Authorization");
            if (authorization == null)
                return new KmsException("MissingAuthenticationTokenException", "Missing Authentication Token");
            if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
                return new KmsException("IncompleteSignatureException", $"Authorization header requires the {Algorithm} algorithm.");

            Dictionary<string, string> fields = authorization.Substring(Algorithm.Length + 1).Split(',')
                .Select(part => part.Trim().Split(new[] { '=' }, 2)).Where(pair => pair.Length == 2)
                .GroupBy(pair => pair[0]).ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
            if (!fields.TryGetValue("Credential", out string credential) || !fields.TryGetValue("SignedHeaders", out string signedHeaders) || !fields.TryGetValue("Signature", out string signature))
                return new KmsException("IncompleteSignatureException",
                    "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
            string[] scope = credential.Split('/');
            if (scope.Length != 5 || scope[4] != "aws4_request")
                return new KmsException("IncompleteSignatureException", $"Credential should be scoped to a valid region, not '{Shorten(credential)}'.");
            if (!_secrets.TryGetValue(scope[0], out string secret))
                return new KmsException("UnrecognizedClientException", "The security token included in the request is invalid.");

            string amzDate = request.Header("X-Amz-Date");
            if (amzDate == null || !DateTime.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime signedAt))
                return new KmsException("IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
            DateTime now = _now();
            if (signedAt < now - AllowedSkew)
                return new KmsException("InvalidSignatureException",
                    $"Signature expired: {amzDate} is now earlier than {(now - AllowedSkew):yyyyMMdd'T'HHmmss'Z'} ({now:yyyyMMdd'T'HHmmss'Z'} - 15 min.)");
            if (signedAt > now + AllowedSkew)
                return new KmsException("InvalidSignatureException",
                    $"Signature not yet current: {amzDate} is still later than {(now + AllowedSkew):yyyyMMdd'T'HHmmss'Z'} ({now:yyyyMMdd'T'HHmmss'Z'} + 15 min.)");
            if (scope[1] != amzDate.Substring(0, 8))
                return new KmsException("InvalidSignatureException", $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope[1]}' != '{amzDate.Substring(0, 8)}', from '{amzDate}'.");

            string[] signed = signedHeaders.Split(';');
            if (!signed.Contains("host"))
                return new KmsException("InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization.");
            var canonicalHeaders = new StringBuilder();
            foreach (string name in signed)
            {
                string value = request.Header(name);
                if (value == null)
                    return new KmsException("InvalidSignatureException", $"The request signature we calculated does not match the signature you provided: the signed header '{name}' is not in the request.");
                canonicalHeaders.Append(name).Append(':').Append(CollapseSpaces(value)).Append('\n');
            }

            string path = request.Target;
            string query = string.Empty;
            int mark = path.IndexOf('?');
            if (mark >= 0)
            {
                query = CanonicalQuery(path.Substring(mark + 1));
                path = path.Substring(0, mark);
            }
            string canonicalRequest = string.Join("\n", request.Method, path, query, canonicalHeaders.ToString(), signedHeaders, Hex(Sha256(request.Body)));
            string stringToSign = string.Join("\n", Algorithm, amzDate, string.Join("/", scope.Skip(1)), Hex(Sha256(Encoding.UTF8.GetBytes(canonicalRequest))));
            byte[] key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), scope[1]);
            key = Hmac(key, scope[2]);
            key = Hmac(key, scope[3]);
            key = Hmac(key, scope[4]);
            byte[] expected = Encoding.ASCII.GetBytes(Hex(Hmac(key, stringToSign)));
            byte[] given = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
            if (!Org.BouncyCastle.Utilities.Arrays.FixedTimeEquals(expected, given))
                return new KmsException("InvalidSignatureException",
                    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
            return null;
        }

        /// <summary>SigV4's canonical header value: trimmed, runs of spaces made one.</summary>
        private static string CollapseSpaces(string value)
        {
            var text = new StringBuilder(value.Length);
            bool space = false;
            foreach (char c in value.Trim())
            {
                if (c == ' ' || c == '\t') { if (!space) text.Append(' '); space = true; }
                else { text.Append(c); space = false; }
            }
            return text.ToString();
        }

        /// <summary>The query's parameters sorted by name, then value, each already URI-encoded as the client sent it.</summary>
        private static string CanonicalQuery(string query) =>
            string.Join("&", query.Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Contains('=') ? p : p + "=")
                .OrderBy(p => p.Substring(0, p.IndexOf('=')), StringComparer.Ordinal).ThenBy(p => p, StringComparer.Ordinal));

        private static byte[] Sha256(byte[] data)
        {
            using (SHA256 sha = SHA256.Create()) return sha.ComputeHash(data);
        }

        private static byte[] Hmac(byte[] key, string data)
        {
            using (var hmac = new HMACSHA256(key)) return hmac.ComputeHash(Encoding.UTF8.GetBytes(data));
        }

        private static string Hex(byte[] bytes) => Crypto.Hex.ToLower(bytes);

        private static string Shorten(string text) => Redaction.Shorten(text, 100);
    }
}
