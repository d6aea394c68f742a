@{
    RootModule           = 'KmsTools.psm1'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Core', 'Desktop')
    GUID                 = '5f1d0b7e-8a8c-4a0e-9a43-2f6d3c1e7b42'
    Author               = 'KmsTools contributors'
    Copyright            = '(c) KmsTools contributors. MIT License.'
    Description          = 'KMS data keys from PowerShell: New-KmsDataKeyPairWithoutPlaintext and the related KMS operations, on an embedded local KMS engine with a durable key store, or on a remote KMS endpoint; and Start-KmsServer, which serves the local engine over the KMS wire protocol to the aws CLI and the AWS SDKs.'
    PowerShellVersion    = '5.1'
    TypesToProcess       = @('KmsTools.types.ps1xml')
    FormatsToProcess     = @('KmsTools.format.ps1xml')
    CmdletsToExport      = @(
        'New-KmsDataKeyPairWithoutPlaintext'
        'New-KmsDataKeyPair'
        'New-KmsDataKey'
        'New-KmsDataKeyWithoutPlaintext'
        'Invoke-KmsEncrypt'
        'Invoke-KmsDecrypt'
        'Invoke-KmsReEncrypt'
        'Get-KmsRandom'
        'New-KmsKey'
        'Get-KmsKey'
        'New-KmsAlias'
        'Get-KmsAlias'
        'Update-KmsAlias'
        'Remove-KmsAlias'
        'Update-KmsKeyDescription'
        'Start-KmsServer'
        'Get-KmsServer'
        'Stop-KmsServer'
        'Import-KmsKeyStoreSeed'
        'Enable-KmsKey'
        'Disable-KmsKey'
        'Request-KmsKeyDeletion'
        'Stop-KmsKeyDeletion'
        'Enable-KmsKeyRotation'
        'Disable-KmsKeyRotation'
        'Get-KmsKeyRotationStatus'
        'Invoke-KmsKeyRotation'
        'Get-KmsKeyRotation'
        'Add-KmsResourceTag'
        'Remove-KmsResourceTag'
        'Get-KmsResourceTag'
        'Get-KmsPublicKey'
        'New-KmsMac'
        'Test-KmsMac'
        'Invoke-KmsSigning'
        'Test-KmsSignature'
        'Get-KmsSharedSecret'
        'Get-KmsKeyPolicy'
        'Write-KmsKeyPolicy'
        'Get-KmsKeyPolicyList'
        'New-KmsGrant'
        'Get-KmsGrant'
        'Get-KmsRetirableGrant'
        'Revoke-KmsGrant'
        'Disable-KmsGrant'
        'Get-KmsParametersForImport'
        'Import-KmsKeyMaterial'
        'Remove-KmsImportedKeyMaterial'
        'New-KmsReplicateKey'
        'Update-KmsPrimaryRegion'
        'Get-KmsKeyLastUsage'
        'Protect-KmsFile'
        'Unprotect-KmsFile'
        'Protect-KmsData'
        'Unprotect-KmsData'
        'Get-KmsEncryptedMessage'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('KMS', 'AWS', 'Encryption', 'DataKey', 'Crypto', 'PSEdition_Core', 'PSEdition_Desktop')
            LicenseUri = 'https://opensource.org/licenses/MIT'
            # Where the module's docs live: each cmdlet's help links here (online version, Get-Help -Online).
            ProjectUri = 'https://github.com/kmstools/KmsTools'
        }
    }
}
