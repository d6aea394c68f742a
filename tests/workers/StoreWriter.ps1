# A store writer for the concurrency and crash tests: creates keys and aliases, races for one shared alias,
# after rotating, tagging and granting on one shared key in a burst. It prints "<key-id> <alias>" only after both are written: a printed
# line is an acknowledged change. KMSTOOLS_HOME comes from the parent's environment.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [int] $Worker,
    [Parameter(Mandatory)] [string] $SharedKeyId,
    [int] $Count = 100,
    [switch] $Forever
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
# A burst of read-modify-write updates of one key, from every writer at once: without the per-key lock,
# writers overwrite each other's tags and rotations and the totals come out short.
for ($j = 1; $j -le 12; $j++) {
    Add-KmsResourceTag -KeyId $SharedKeyId -Tags @{ "w$Worker-$j" = "$j" }
    if ($j -le 5) { Invoke-KmsKeyRotation -KeyId $SharedKeyId | Out-Null }
    if ($j -le 6) { New-KmsGrant -KeyId $SharedKeyId -GranteePrincipal "arn:aws:iam::111122223333:role/w$Worker" -Operation Decrypt | Out-Null }
}
for ($i = 1; $Forever -or $i -le $Count; $i++) {
    $key = New-KmsKey -Description "worker $Worker item $i"
    New-KmsAlias -AliasName "alias/w$Worker-$i" -TargetKeyId $key.KeyId
    New-KmsAlias -AliasName 'alias/shared' -TargetKeyId $key.KeyId -ErrorAction SilentlyContinue
    [Console]::Out.WriteLine("$($key.KeyId) alias/w$Worker-$i")
    [Console]::Out.Flush()
}
