# Writes every result type that carries a plaintext to the host the ways a user's script does (out of band after
# another type's table, Format-List, Format-Table, Out-String), under Start-Transcript. Saves the secrets' base64 to
# a side file so that the test can look for them in what was printed.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Transcript,
    [Parameter(Mandatory)] [string] $Secrets
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Start-Transcript -Path $Transcript | Out-Null
$key = New-KmsKey -Description 'formatting'
$pair = New-KmsDataKeyPair -KeyId $key.KeyId -KeyPairSpec ECC_NIST_P256
$dataKey = New-KmsDataKey -KeyId $key.KeyId -KeySpec AES_256
$decrypted = $pair | Invoke-KmsDecrypt
$random = Get-KmsRandom -NumberOfBytes 32
$agreeing = New-KmsKey -KeySpec ECC_NIST_P256 -KeyUsage KEY_AGREEMENT
$shared = Get-KmsSharedSecret -KeyId $agreeing.KeyId -PublicKey (Get-KmsPublicKey -KeyId (New-KmsKey -KeySpec ECC_NIST_P256 -KeyUsage KEY_AGREEMENT).KeyId).PublicKey
# The mixed stream of the issue: a KeyMetadata table first makes PowerShell format the rest out of band
# (written to the host here, as a script's output is at its end, so that the transcript holds it).
& { $key; $pair; $dataKey; $decrypted; $random; $shared } | Out-Default
foreach ($result in $pair, $dataKey, $decrypted, $random, $shared) {
    $result | Format-List | Out-Host
    $result | Format-Table | Out-Host
    $result | Out-String | Out-Host
    Write-Host ($result | Out-String -Width 500)
}
Stop-Transcript | Out-Null
@(
    [Convert]::ToBase64String($pair.PrivateKeyPlaintext)
    [Convert]::ToBase64String($dataKey.Plaintext)
    [Convert]::ToBase64String($decrypted.Plaintext)
    [Convert]::ToBase64String($random.Plaintext)
    [Convert]::ToBase64String($shared.SharedSecret)
) | Set-Content -Path $Secrets
