using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using KmsTools.Model;
using Sdk = Amazon.KeyManagementService.Model;

namespace KmsTools.Remote
{
    /// <summary>
    /// The same operations as the local engine, answered by a KMS endpoint through the AWS SDK for .NET (its
    /// credential chain, SigV4, retries and timeouts). Service errors keep their KMS names; network failures become
    /// errors that name the endpoint.
    /// </summary>
    public sealed class RemoteKmsBackend : IKmsBackend, IDisposable
    {
        private readonly AmazonKeyManagementServiceClient _client;
        private readonly RemoteKmsOptions _options;
        private readonly string _endpoint;

        public RemoteKmsBackend(RemoteKmsOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            var config = new AmazonKeyManagementServiceConfig();
            if (!string.IsNullOrEmpty(options.EndpointUrl))
            {
                config.ServiceURL = options.EndpointUrl;
                config.AuthenticationRegion = options.Region;
            }
            else
            {
                config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
            }
#if NET
            config.HttpClientFactory = new KmsHttpClientFactory(options);
#else
            // The SDK for .NET Framework sends through HttpWebRequest: its two timeouts are the whole request's and
            // each read's. It has no per-client TLS or connect hook, and the process-wide ServicePointManager callback
            // would change every other module's connections too, so those options are refused instead.
            config.Timeout = options.EffectiveReadTimeout;
            config.ReadWriteTimeout = options.EffectiveReadTimeout;
            if (options.NoVerifySsl || options.CaBundle != null || options.ConnectTimeout != null)
                throw new KmsException(KmsErrorCodes.Validation,
                    "-NoVerifySsl, -CaBundle (or AWS_CA_BUNDLE) and -CliConnectTimeout need PowerShell 7: the AWS SDK for .NET Framework that Windows PowerShell runs has no per-client setting for them. Trust the CA in the Windows certificate store instead, or run pwsh.",
                    options.NoVerifySsl ? "NoVerifySsl" : options.CaBundle != null ? "CaBundle" : "CliConnectTimeout");
#endif
            _endpoint = Redaction.Endpoint(options.EndpointUrl) ?? $"https://kms.{options.Region}.amazonaws.com";
            _client = new AmazonKeyManagementServiceClient(Credentials(options), config);
        }

        public string Description => $"remote KMS endpoint {_endpoint} (region {Region})";
        public string Region => _options.Region;

        private static AWSCredentials Credentials(RemoteKmsOptions options)
        {
            if (options.NoSignRequest) return new AnonymousAWSCredentials();
            if (!string.IsNullOrEmpty(options.Profile))
            {
                if (new CredentialProfileStoreChain().TryGetAWSCredentials(options.Profile, out AWSCredentials credentials))
                    return credentials;
                // A profile that only says where to go (region, endpoint_url) takes its credentials from the default chain.
                if (!options.ProfileInConfigFile)
                    throw new KmsException("ProfileNotFound",
                        $"The config profile ({options.Profile}) could not be found in the AWS config or credentials files.", "Profile");
            }
            try
            {
                return DefaultAWSCredentialsIdentityResolver.GetCredentials();
            }
            catch (AmazonClientException e)
            {
                throw new KmsException("NoCredentialsError",
                    "Unable to locate credentials for the remote KMS endpoint. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, use -Profile, or -NoSignRequest. (" + e.Message + ")");
            }
        }

        public GenerateDataKeyPairWithoutPlaintextResponse GenerateDataKeyPairWithoutPlaintext(GenerateDataKeyPairWithoutPlaintextRequest request, CancellationToken cancellationToken = default) =>
            WithContext(Call<Sdk.GenerateDataKeyPairWithoutPlaintextRequest, Sdk.GenerateDataKeyPairWithoutPlaintextResponse, GenerateDataKeyPairWithoutPlaintextResponse>(
                "GenerateDataKeyPairWithoutPlaintext", request, _client.GenerateDataKeyPairWithoutPlaintextAsync, cancellationToken), request.EncryptionContext, (r, c) => r.EncryptionContext = c);

        public GenerateDataKeyPairResponse GenerateDataKeyPair(GenerateDataKeyPairRequest request, CancellationToken cancellationToken = default) =>
            WithContext(Call<Sdk.GenerateDataKeyPairRequest, Sdk.GenerateDataKeyPairResponse, GenerateDataKeyPairResponse>(
                "GenerateDataKeyPair", request, _client.GenerateDataKeyPairAsync, cancellationToken), request.EncryptionContext, (r, c) => r.EncryptionContext = c);

        public GenerateDataKeyResponse GenerateDataKey(GenerateDataKeyRequest request, CancellationToken cancellationToken = default) =>
            WithContext(Call<Sdk.GenerateDataKeyRequest, Sdk.GenerateDataKeyResponse, GenerateDataKeyResponse>(
                "GenerateDataKey", request, _client.GenerateDataKeyAsync, cancellationToken), request.EncryptionContext, (r, c) => r.EncryptionContext = c);

        public GenerateDataKeyWithoutPlaintextResponse GenerateDataKeyWithoutPlaintext(GenerateDataKeyWithoutPlaintextRequest request, CancellationToken cancellationToken = default) =>
            WithContext(Call<Sdk.GenerateDataKeyWithoutPlaintextRequest, Sdk.GenerateDataKeyWithoutPlaintextResponse, GenerateDataKeyWithoutPlaintextResponse>(
                "GenerateDataKeyWithoutPlaintext", request, _client.GenerateDataKeyWithoutPlaintextAsync, cancellationToken), request.EncryptionContext, (r, c) => r.EncryptionContext = c);

        public EncryptResponse Encrypt(EncryptRequest request, CancellationToken cancellationToken = default) =>
            WithContext(Call<Sdk.EncryptRequest, Sdk.EncryptResponse, EncryptResponse>("Encrypt", request, _client.EncryptAsync, cancellationToken),
                request.EncryptionContext, (r, c) => r.EncryptionContext = c);

        public DecryptResponse Decrypt(DecryptRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.DecryptRequest, Sdk.DecryptResponse, DecryptResponse>("Decrypt", request, _client.DecryptAsync, cancellationToken);

        public ReEncryptResponse ReEncrypt(ReEncryptRequest request, CancellationToken cancellationToken = default) =>
            WithContext(Call<Sdk.ReEncryptRequest, Sdk.ReEncryptResponse, ReEncryptResponse>("ReEncrypt", request, _client.ReEncryptAsync, cancellationToken),
                request.DestinationEncryptionContext, (r, c) => r.EncryptionContext = c);

        public GenerateRandomResponse GenerateRandom(GenerateRandomRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.GenerateRandomRequest, Sdk.GenerateRandomResponse, GenerateRandomResponse>("GenerateRandom", request, _client.GenerateRandomAsync, cancellationToken);

        public CreateKeyResponse CreateKey(CreateKeyRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.CreateKeyRequest, Sdk.CreateKeyResponse, CreateKeyResponse>("CreateKey", request, _client.CreateKeyAsync, cancellationToken);

        public DescribeKeyResponse DescribeKey(DescribeKeyRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.DescribeKeyRequest, Sdk.DescribeKeyResponse, DescribeKeyResponse>("DescribeKey", request, _client.DescribeKeyAsync, cancellationToken);

        public ListKeysResponse ListKeys(ListKeysRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.ListKeysRequest, Sdk.ListKeysResponse, ListKeysResponse>("ListKeys", request, _client.ListKeysAsync, cancellationToken);

        public CreateAliasResponse CreateAlias(CreateAliasRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.CreateAliasRequest, Sdk.CreateAliasResponse, CreateAliasResponse>("CreateAlias", request, _client.CreateAliasAsync, cancellationToken);

        public ListAliasesResponse ListAliases(ListAliasesRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.ListAliasesRequest, Sdk.ListAliasesResponse, ListAliasesResponse>("ListAliases", request, _client.ListAliasesAsync, cancellationToken);

        public UpdateAliasResponse UpdateAlias(UpdateAliasRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.UpdateAliasRequest, Sdk.UpdateAliasResponse, UpdateAliasResponse>("UpdateAlias", request, _client.UpdateAliasAsync, cancellationToken);

        public DeleteAliasResponse DeleteAlias(DeleteAliasRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.DeleteAliasRequest, Sdk.DeleteAliasResponse, DeleteAliasResponse>("DeleteAlias", request, _client.DeleteAliasAsync, cancellationToken);

        public UpdateKeyDescriptionResponse UpdateKeyDescription(UpdateKeyDescriptionRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.UpdateKeyDescriptionRequest, Sdk.UpdateKeyDescriptionResponse, UpdateKeyDescriptionResponse>("UpdateKeyDescription", request, _client.UpdateKeyDescriptionAsync, cancellationToken);

        public EnableKeyResponse EnableKey(EnableKeyRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.EnableKeyRequest, Sdk.EnableKeyResponse, EnableKeyResponse>("EnableKey", request, _client.EnableKeyAsync, cancellationToken);

        public DisableKeyResponse DisableKey(DisableKeyRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.DisableKeyRequest, Sdk.DisableKeyResponse, DisableKeyResponse>("DisableKey", request, _client.DisableKeyAsync, cancellationToken);

        public ScheduleKeyDeletionResponse ScheduleKeyDeletion(ScheduleKeyDeletionRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.ScheduleKeyDeletionRequest, Sdk.ScheduleKeyDeletionResponse, ScheduleKeyDeletionResponse>("ScheduleKeyDeletion", request, _client.ScheduleKeyDeletionAsync, cancellationToken);

        public CancelKeyDeletionResponse CancelKeyDeletion(CancelKeyDeletionRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.CancelKeyDeletionRequest, Sdk.CancelKeyDeletionResponse, CancelKeyDeletionResponse>("CancelKeyDeletion", request, _client.CancelKeyDeletionAsync, cancellationToken);

        public EnableKeyRotationResponse EnableKeyRotation(EnableKeyRotationRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.EnableKeyRotationRequest, Sdk.EnableKeyRotationResponse, EnableKeyRotationResponse>("EnableKeyRotation", request, _client.EnableKeyRotationAsync, cancellationToken);

        public DisableKeyRotationResponse DisableKeyRotation(DisableKeyRotationRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.DisableKeyRotationRequest, Sdk.DisableKeyRotationResponse, DisableKeyRotationResponse>("DisableKeyRotation", request, _client.DisableKeyRotationAsync, cancellationToken);

        public GetKeyRotationStatusResponse GetKeyRotationStatus(GetKeyRotationStatusRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.GetKeyRotationStatusRequest, Sdk.GetKeyRotationStatusResponse, GetKeyRotationStatusResponse>("GetKeyRotationStatus", request, _client.GetKeyRotationStatusAsync, cancellationToken);

        public RotateKeyOnDemandResponse RotateKeyOnDemand(RotateKeyOnDemandRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.RotateKeyOnDemandRequest, Sdk.RotateKeyOnDemandResponse, RotateKeyOnDemandResponse>("RotateKeyOnDemand", request, _client.RotateKeyOnDemandAsync, cancellationToken);

        public ListKeyRotationsResponse ListKeyRotations(ListKeyRotationsRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.ListKeyRotationsRequest, Sdk.ListKeyRotationsResponse, ListKeyRotationsResponse>("ListKeyRotations", request, _client.ListKeyRotationsAsync, cancellationToken);

        public TagResourceResponse TagResource(TagResourceRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.TagResourceRequest, Sdk.TagResourceResponse, TagResourceResponse>("TagResource", request, _client.TagResourceAsync, cancellationToken);

        public UntagResourceResponse UntagResource(UntagResourceRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.UntagResourceRequest, Sdk.UntagResourceResponse, UntagResourceResponse>("UntagResource", request, _client.UntagResourceAsync, cancellationToken);

        public ListResourceTagsResponse ListResourceTags(ListResourceTagsRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.ListResourceTagsRequest, Sdk.ListResourceTagsResponse, ListResourceTagsResponse>("ListResourceTags", request, _client.ListResourceTagsAsync, cancellationToken);

        public GetPublicKeyResponse GetPublicKey(GetPublicKeyRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.GetPublicKeyRequest, Sdk.GetPublicKeyResponse, GetPublicKeyResponse>("GetPublicKey", request, _client.GetPublicKeyAsync, cancellationToken);

        public GenerateMacResponse GenerateMac(GenerateMacRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.GenerateMacRequest, Sdk.GenerateMacResponse, GenerateMacResponse>("GenerateMac", request, _client.GenerateMacAsync, cancellationToken);

        // KMS answers a signature or MAC that does not verify with an error; some emulators (moto) answer
        // SignatureValid/MacValid false instead. Scripts written against this module rely on the error, whatever the endpoint.
        public VerifyMacResponse VerifyMac(VerifyMacRequest request, CancellationToken cancellationToken = default)
        {
            VerifyMacResponse response = Call<Sdk.VerifyMacRequest, Sdk.VerifyMacResponse, VerifyMacResponse>("VerifyMac", request, _client.VerifyMacAsync, cancellationToken);
            if (response.MacValid != true) throw new KmsException(KmsErrorCodes.KMSInvalidMac, string.Empty, "Mac");
            return response;
        }

        public SignResponse Sign(SignRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.SignRequest, Sdk.SignResponse, SignResponse>("Sign", request, _client.SignAsync, cancellationToken);

        // As VerifyMac: a signature that does not verify is KMS's error, whatever the endpoint answered.
        public VerifyResponse Verify(VerifyRequest request, CancellationToken cancellationToken = default)
        {
            VerifyResponse response = Call<Sdk.VerifyRequest, Sdk.VerifyResponse, VerifyResponse>("Verify", request, _client.VerifyAsync, cancellationToken);
            if (response.SignatureValid != true) throw new KmsException(KmsErrorCodes.KMSInvalidSignature, string.Empty, "Signature");
            return response;
        }

        public DeriveSharedSecretResponse DeriveSharedSecret(DeriveSharedSecretRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.DeriveSharedSecretRequest, Sdk.DeriveSharedSecretResponse, DeriveSharedSecretResponse>("DeriveSharedSecret", request, _client.DeriveSharedSecretAsync, cancellationToken);

        public GetKeyPolicyResponse GetKeyPolicy(GetKeyPolicyRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.GetKeyPolicyRequest, Sdk.GetKeyPolicyResponse, GetKeyPolicyResponse>("GetKeyPolicy", request, _client.GetKeyPolicyAsync, cancellationToken);

        public PutKeyPolicyResponse PutKeyPolicy(PutKeyPolicyRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.PutKeyPolicyRequest, Sdk.PutKeyPolicyResponse, PutKeyPolicyResponse>("PutKeyPolicy", request, _client.PutKeyPolicyAsync, cancellationToken);

        public ListKeyPoliciesResponse ListKeyPolicies(ListKeyPoliciesRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.ListKeyPoliciesRequest, Sdk.ListKeyPoliciesResponse, ListKeyPoliciesResponse>("ListKeyPolicies", request, _client.ListKeyPoliciesAsync, cancellationToken);

        public CreateGrantResponse CreateGrant(CreateGrantRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.CreateGrantRequest, Sdk.CreateGrantResponse, CreateGrantResponse>("CreateGrant", request, _client.CreateGrantAsync, cancellationToken);

        public ListGrantsResponse ListGrants(ListGrantsRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.ListGrantsRequest, Sdk.ListGrantsResponse, ListGrantsResponse>("ListGrants", request, _client.ListGrantsAsync, cancellationToken);

        public ListGrantsResponse ListRetirableGrants(ListRetirableGrantsRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.ListRetirableGrantsRequest, Sdk.ListRetirableGrantsResponse, ListGrantsResponse>("ListRetirableGrants", request, _client.ListRetirableGrantsAsync, cancellationToken);

        public RetireGrantResponse RetireGrant(RetireGrantRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.RetireGrantRequest, Sdk.RetireGrantResponse, RetireGrantResponse>("RetireGrant", request, _client.RetireGrantAsync, cancellationToken);

        public RevokeGrantResponse RevokeGrant(RevokeGrantRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.RevokeGrantRequest, Sdk.RevokeGrantResponse, RevokeGrantResponse>("RevokeGrant", request, _client.RevokeGrantAsync, cancellationToken);

        public GetParametersForImportResponse GetParametersForImport(GetParametersForImportRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.GetParametersForImportRequest, Sdk.GetParametersForImportResponse, GetParametersForImportResponse>("GetParametersForImport", request, _client.GetParametersForImportAsync, cancellationToken);

        public ImportKeyMaterialResponse ImportKeyMaterial(ImportKeyMaterialRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.ImportKeyMaterialRequest, Sdk.ImportKeyMaterialResponse, ImportKeyMaterialResponse>("ImportKeyMaterial", request, _client.ImportKeyMaterialAsync, cancellationToken);

        public DeleteImportedKeyMaterialResponse DeleteImportedKeyMaterial(DeleteImportedKeyMaterialRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.DeleteImportedKeyMaterialRequest, Sdk.DeleteImportedKeyMaterialResponse, DeleteImportedKeyMaterialResponse>("DeleteImportedKeyMaterial", request, _client.DeleteImportedKeyMaterialAsync, cancellationToken);

        public ReplicateKeyResponse ReplicateKey(ReplicateKeyRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.ReplicateKeyRequest, Sdk.ReplicateKeyResponse, ReplicateKeyResponse>("ReplicateKey", request, _client.ReplicateKeyAsync, cancellationToken);

        public UpdatePrimaryRegionResponse UpdatePrimaryRegion(UpdatePrimaryRegionRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.UpdatePrimaryRegionRequest, Sdk.UpdatePrimaryRegionResponse, UpdatePrimaryRegionResponse>("UpdatePrimaryRegion", request, _client.UpdatePrimaryRegionAsync, cancellationToken);

        public GetKeyLastUsageResponse GetKeyLastUsage(GetKeyLastUsageRequest request, CancellationToken cancellationToken = default) =>
            Call<Sdk.GetKeyLastUsageRequest, Sdk.GetKeyLastUsageResponse, GetKeyLastUsageResponse>("GetKeyLastUsage", request, _client.GetKeyLastUsageAsync, cancellationToken);

        public void Dispose() => _client.Dispose();

        /// <summary>One call: our request mapped to the SDK's, sent, its response mapped back, its failure turned into a KmsException.</summary>
        private TResponse Call<TSdkRequest, TSdkResponse, TResponse>(string operation, object request,
            Func<TSdkRequest, CancellationToken, Task<TSdkResponse>> send, CancellationToken cancellationToken)
            where TSdkRequest : AmazonWebServiceRequest, new()
            where TSdkResponse : AmazonWebServiceResponse
            where TResponse : class, new()
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            TSdkRequest sdkRequest = SdkMapper.Map<TSdkRequest>(request);
            _options.Trace?.Invoke($"POST {_endpoint} X-Amz-Target: TrentService.{operation}");
            try
            {
                // The SDK has only asynchronous calls on this target; a cmdlet thread has no synchronization context to deadlock.
                TSdkResponse response = Task.Run(() => send(sdkRequest, cancellationToken), cancellationToken).GetAwaiter().GetResult();
                _options.Trace?.Invoke($"HTTP {(int)response.HttpStatusCode} from {_endpoint} for {operation}");
                return typeof(TResponse) == typeof(object) ? null : SdkMapper.Map<TResponse>(response);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw; // stopped by the caller (Ctrl+C): not a timeout
            }
            catch (Exception e) when (Find<MalformedResponseException>(e) is MalformedResponseException malformed)
            {
                throw new KmsException(KmsErrorCodes.KMSInternal, $"The endpoint {_endpoint} answered {operation} with {malformed.Message}. Nothing was taken from it.", null, e);
            }
            catch (AmazonServiceException e) when (Find<System.IO.IOException>(e) == null)
            {
                throw ServiceError(operation, e);
            }
            catch (Exception e) when (e is AmazonClientException || e is HttpRequestException || e is OperationCanceledException || e is WebException || e is System.IO.IOException)
            {
                throw NetworkError(operation, e);
            }
        }

        private static T Find<T>(Exception e) where T : Exception
        {
            for (Exception current = e; current != null; current = current.InnerException)
                if (current is T found) return found;
            return null;
        }

        private KmsException ServiceError(string operation, AmazonServiceException e)
        {
            // A 5xx without a KMS error name: the endpoint failed, or does not implement the operation (moto has no data key pairs).
            if (string.IsNullOrEmpty(e.ErrorCode))
                return new KmsException(KmsErrorCodes.KMSInternal,
                    $"The endpoint {_endpoint} answered {operation} with HTTP {(int)e.StatusCode} and no KMS error name: the service failed, or it does not implement {operation}.", null, e);
            // An error body without a message (KMS sends InvalidCiphertextException so) gets the SDK's own sentence
            // with the raw body in it; KMS's message, and the local engine's, is empty.
            string message = e.Message ?? string.Empty;
            if (message.StartsWith("The service returned an error with Error Code", StringComparison.Ordinal)) message = string.Empty;
            return new KmsException(e.ErrorCode, message, null, e);
        }

        private KmsException NetworkError(string operation, Exception e)
        {
            // The aws CLI's names and first sentences (botocore's ConnectTimeoutError, ReadTimeoutError,
            // EndpointConnectionError, SSLError), then what to do.
            if (Find<ConnectTimeoutException>(e) is ConnectTimeoutException connect)
                return new KmsException("ConnectTimeoutError", $"Connect timeout on endpoint URL: \"{_endpoint}\" ({operation}: {connect.Message}). Check the endpoint and the network, or raise -CliConnectTimeout.", null, e);
            if (Find<ReadTimeoutException>(e) != null || Find<TimeoutException>(e) != null || e is OperationCanceledException)
            {
                string how = Find<ReadTimeoutException>(e)?.Message;
                return new KmsException("ReadTimeoutError", $"Read timeout on endpoint URL: \"{_endpoint}\" ({operation}{(how == null ? string.Empty : ": " + how)}). Check the endpoint, or raise -CliReadTimeout.", null, e);
            }
            Exception root = e;
            while (root.InnerException != null) root = root.InnerException;
            string detail = root.Message;
            if (Find<System.Security.Authentication.AuthenticationException>(e) is System.Security.Authentication.AuthenticationException tls)
            {
                // A certificate the client rejects, against a handshake that never happened: an http:// server on
                // the port answers TLS with plain text, and no certificate option can help with that.
                bool certificate = tls.Message.IndexOf("certificate", StringComparison.OrdinalIgnoreCase) >= 0;
                return certificate
                    ? new KmsException("SSLError", $"SSL validation failed for {_endpoint} ({operation}): {tls.Message}. Use -CaBundle for a private CA, or -NoVerifySsl to skip the check.", null, e)
                    : new KmsException("SSLError", $"SSL handshake with {_endpoint} failed ({operation}): {detail.TrimEnd('.')}. The endpoint may not speak TLS on that port: if it serves plain HTTP, use an http:// URL in -EndpointUrl.", null, e);
            }
            return new KmsException("EndpointConnectionError", $"Could not connect to the endpoint URL: \"{_endpoint}\" ({operation}): {detail}", null, e);
        }

        private static T WithContext<T>(T response, Dictionary<string, string> context, Action<T, Dictionary<string, string>> set)
        {
            set(response, context == null ? new Dictionary<string, string>() : new Dictionary<string, string>(context, StringComparer.Ordinal));
            return response;
        }
    }
}
