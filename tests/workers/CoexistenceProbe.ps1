# A session with a stand-in for AWS.Tools.KeyManagementService (functions with its cmdlet names, each answering
# 'aws-tools') and KmsTools, loaded in the order and the way the caller says; reports who answers what.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $StandIn,
    [ValidateSet('KmsToolsLast', 'AwsToolsLast', 'Prefix')] [string] $Mode
)
$ErrorActionPreference = 'Stop'
switch ($Mode) {
    'KmsToolsLast' { Import-Module $StandIn; Import-Module $ModulePath }
    'AwsToolsLast' { Import-Module $ModulePath; Import-Module $StandIn }
    'Prefix' { Import-Module $StandIn; Import-Module $ModulePath -Prefix Local }
}
$key = if ($Mode -eq 'Prefix') { New-LocalKmsKey -Description coexistence } else { KmsTools\New-KmsKey -Description coexistence }
[pscustomobject]@{
    Unqualified = @(New-KmsKey -Description coexistence)[0].GetType().Name
    UnqualifiedPair = @(New-KmsDataKeyPairWithoutPlaintext -KeyId $key.KeyId -KeyPairSpec ECC_NIST_P256)[0].GetType().Name
    UnqualifiedModule = (Get-Command New-KmsKey).Source
    Qualified = if ($Mode -ne 'Prefix') { (KmsTools\New-KmsDataKeyPairWithoutPlaintext -KeyId $key.KeyId -KeyPairSpec ECC_NIST_P256).KeyPairSpec } else { $null }
    AwsQualified = AWS.Tools.KeyManagementService\New-KMSKey
    Prefixed = if ($Mode -eq 'Prefix') { (New-LocalKmsDataKeyPairWithoutPlaintext -KeyId $key.KeyId -KeyPairSpec ECC_NIST_P256).KeyPairSpec } else { $null }
    PrefixedNames = @(Get-Command -Module KmsTools | ForEach-Object Name | Sort-Object)
} | ConvertTo-Json -Compress
