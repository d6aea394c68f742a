# Saves KmsTools from a file repository into a module folder, as a user's Save-PSResource/Install-PSResource would.
param(
    [Parameter(Mandatory)] [string] $Repository,
    [Parameter(Mandatory)] [string] $Destination
)
$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name KmsToolsPackageTest -Uri $Repository -Trusted
try {
    $found = Find-PSResource -Name KmsTools -Repository KmsToolsPackageTest
    Save-PSResource -Name KmsTools -Repository KmsToolsPackageTest -Path $Destination -TrustRepository -SkipDependencyCheck
    [pscustomobject]@{ Version = "$($found.Version)"; Tags = @($found.Tags) } | ConvertTo-Json -Compress
}
finally {
    Unregister-PSResourceRepository -Name KmsToolsPackageTest
}
