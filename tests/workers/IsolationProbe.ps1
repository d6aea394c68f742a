# Loads other versions of KmsTools' dependencies first, as other modules in a user's session would (Posh-ACME,
# PSPKI: BouncyCastle; AWS Tools: AWSSDK.Core), then imports KmsTools and uses it locally and remotely.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $BouncyCastle,
    [Parameter(Mandatory)] [string] $AwsSdkCore,
    [Parameter(Mandatory)] [string] $EndpointUrl
)
$ErrorActionPreference = 'Stop'
Add-Type -Path $BouncyCastle
Add-Type -Path $AwsSdkCore
Import-Module $ModulePath
$key = New-KmsKey -Description 'isolation'
$pair = New-KmsDataKeyPairWithoutPlaintext -KeyId $key.KeyId -KeyPairSpec ECC_NIST_P256
$decrypted = $pair | Invoke-KmsDecrypt
$remoteKey = New-KmsKey -Description 'isolation remote' -EndpointUrl $EndpointUrl
$remote = New-KmsDataKey -KeyId $remoteKey.KeyId -KeySpec AES_256 -EndpointUrl $EndpointUrl | Invoke-KmsDecrypt -EndpointUrl $EndpointUrl
[pscustomobject]@{
    LocalPairSpec = $pair.KeyPairSpec
    LocalPrivateKeyBytes = $decrypted.Plaintext.Length
    RemoteDataKeyBytes = $remote.Plaintext.Length
    Assemblies = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -match '^(BouncyCastle|AWSSDK)' } | ForEach-Object {
        '{0} {1} {2}' -f $_.GetName().Name, $_.GetName().Version, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name })
} | ConvertTo-Json -Compress
