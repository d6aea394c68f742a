<#
.SYNOPSIS
    Extracts from the KMS API model its operations and the shapes they use (without documentation), into
    src/KmsTools.Core/Model/kms-model.json (embedded in the CLI layer; committed).
.DESCRIPTION
    The CLI layer uses it for -GenerateCliSkeleton (botocore's skeleton rules) and to validate -CliInputJson;
    build/Update-ModelTypes.ps1 generates the request and response types from it. Run both when the API model changes:
        dotnet pwsh ./build/Update-KmsModel.ps1 -ServiceModel ../shared/spec/kms-service-2.json
        dotnet pwsh ./build/Update-ModelTypes.ps1
#>
param(
    [Parameter(Mandatory)] [string] $ServiceModel,
    [string] $Output = (Join-Path $PSScriptRoot '../src/KmsTools.Core/Model/kms-model.json')
)
$ErrorActionPreference = 'Stop'
$model = Get-Content $ServiceModel -Raw | ConvertFrom-Json -AsHashtable
# Every operation, not only those with cmdlets yet: the generated request and response types cover the whole API.
$operations = $model.operations.get_Keys() | Sort-Object
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
            foreach ($member in $source.members.get_Keys()) { $members[$member] = $source.members[$member].shape; Add-Shape $source.members[$member].shape }
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
# Members keep the model's order: botocore prints skeletons in it. (get_Keys(): a member named "Keys", as ListKeysResponse has, would hide the property.)
$result | ConvertTo-Json -Depth 10 | Set-Content $Output -Encoding utf8NoBOM
Write-Host "Wrote $($operations.Count) operations and $($shapes.Count) shapes to $Output"
