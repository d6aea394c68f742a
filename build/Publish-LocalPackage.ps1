<#
.SYNOPSIS
    Makes the module's .nupkg with PSResourceGet: publishes a laid-out module folder to a file repository.
.DESCRIPTION
    Publish-PSResource needs a registered repository. This script registers one under a name of its own for the
    folder given, publishes, and unregisters it again, so the user's repository list is the same afterwards.
    Run by build.ps1 -Task Package (in a child pwsh whose data folder is temporary, so nothing of the user's
    PSResourceGet settings is touched) and by the package test.
        dotnet pwsh ./build/Publish-LocalPackage.ps1 -ModulePath out/package/KmsTools -Repository out/package/repository
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Repository
)
$ErrorActionPreference = 'Stop'
Import-Module Microsoft.PowerShell.PSResourceGet
$name = 'KmsToolsBuild' + [guid]::NewGuid().ToString('N').Substring(0, 8)
$null = New-Item -ItemType Directory -Path $Repository -Force
Register-PSResourceRepository -Name $name -Uri ([IO.Path]::GetFullPath($Repository)) -Trusted
try {
    Publish-PSResource -Path $ModulePath -Repository $name -SkipDependenciesCheck
}
finally {
    Unregister-PSResourceRepository -Name $name
}
Get-ChildItem $Repository -Filter '*.nupkg' | Sort-Object LastWriteTime | Select-Object -Last 1 -ExpandProperty FullName
