# A fresh session whose module path holds the saved package: Import-Module by name, then the headline cmdlet.
param([Parameter(Mandatory)] [string] $ModuleFolder)
$ErrorActionPreference = 'Stop'
$env:PSModulePath = $ModuleFolder + [IO.Path]::PathSeparator + $env:PSModulePath
Import-Module KmsTools
$key = New-KmsKey -Description 'package test'
$pair = New-KmsDataKeyPairWithoutPlaintext -KeyId $key.KeyId -KeyPairSpec ECC_NIST_P256 -EncryptionContext @{ purpose = 'package' }
$private = $pair | Invoke-KmsDecrypt
[pscustomobject]@{
    ModuleBase = (Get-Module KmsTools).ModuleBase
    Version = "$((Get-Module KmsTools).Version)"
    Cmdlets = @(Get-Command -Module KmsTools).Count
    KeyPairSpec = $pair.KeyPairSpec
    PublicKeyPem = $pair.PublicKeyPem
    PrivateKeyLength = $private.Plaintext.Length
    Help = (Get-Help New-KmsDataKeyPairWithoutPlaintext).Synopsis
} | ConvertTo-Json -Compress
