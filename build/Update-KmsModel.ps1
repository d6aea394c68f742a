<#
.SYNOPSIS
    Extracts from the KMS API model the operations and shapes KmsTools covers, into
    src/KmsTools.Core/Model/kms-model.json (embedded in the engine; committed).
.DESCRIPTION
    The engine uses it for -GenerateCliSkeleton (botocore's skeleton rules) and to validate -CliInputJson.
    Run it when the API model changes or an operation is added:
        dotnet pwsh ./build/Update-KmsModel.ps1 -ServiceModel ../shared/spec/kms-service-2.json
#>
param(
    [Parameter(Mandatory)] [string] $ServiceModel,
    [string] $Output = (Join-Path $PSScriptRoot '../src/KmsTools.Core/Model/kms-model.json')
)
$ErrorActionPreference = 'Stop'
$operations = 'GenerateDataKeyPairWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext',
    'Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateRandom', 'CreateKey', 'DescribeKey', 'ListKeys', 'CreateAlias', 'ListAliases',
    'UpdateAlias', 'DeleteAlias', 'UpdateKeyDescription', 'EnableKey', 'DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion',
    'EnableKeyRotation', 'DisableKeyRotation', 'GetKeyRotationStatus', 'RotateKeyOnDemand', 'ListKeyRotations', 'TagResource',
    'UntagResource', 'ListResourceTags', 'GetPublicKey'
$model = Get-Content $ServiceModel -Raw | ConvertFrom-Json -AsHashtable
function New-Map { [System.Collections.Generic.Dictionary[string, object]]::new() }
$shapes = New-Map
function Add-Shape([string] $name) {
    if (-not $name -or $shapes.ContainsKey($name)) { return }
    $source = $model.shapes[$name]
    $shape = New-Map
    $shape['type'] = $source.type
    foreach ($field in 'enum', 'min', 'max', 'sensitive', 'required') { if ($source.ContainsKey($field)) { $shape[$field] = $source[$field] } }
    $shapes[$name] = $shape
    switch ($source.type) {
        'structure' {
            $members = New-Map
            foreach ($member in $source.members.Keys) { $members[$member] = $source.members[$member].shape; Add-Shape $source.members[$member].shape }
            $shape['members'] = $members
        }
        'list' { $shape['member'] = $source.member.shape; Add-Shape $source.member.shape }
        'map' { $shape['key'] = $source.key.shape; $shape['value'] = $source.value.shape; Add-Shape $source.key.shape; Add-Shape $source.value.shape }
    }
}
$result = New-Map
$result['operations'] = New-Map
$result['shapes'] = $shapes
foreach ($operation in $operations) {
    $definition = $model.operations[$operation]
    $entry = New-Map
    $entry['input'] = $definition.input.shape
    if ($definition.ContainsKey('output')) { $entry['output'] = $definition.output.shape }
    $result['operations'][$operation] = $entry
    Add-Shape $entry['input']
    if ($entry.ContainsKey('output')) { Add-Shape $entry['output'] }
}
# members keep the model's order: botocore prints skeletons in it
$result | ConvertTo-Json -Depth 10 | Set-Content $Output -Encoding utf8NoBOM
Write-Host "Wrote $($operations.Count) operations and $($shapes.Count) shapes to $Output"
