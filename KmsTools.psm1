# The module's root: loads the cmdlet assembly for this edition of PowerShell and imports its cmdlets.
# PowerShell 7: into the module's own load context (bin/net8.0/KmsTools.LoadContext.dll makes it), so that other
# modules' copies of BouncyCastle or the AWS SDK never meet ours. Windows PowerShell 5.1 has no load contexts: the
# net472 build loads directly and resolves its libraries from bin/net472.
# Import time matters (every session that uses the module pays it): only engine cmdlets here, no Add-Type and no
# Microsoft.PowerShell.Utility cmdlet, whose first use alone costs 60-80 ms; type names in full and paths by string,
# because resolving a short type name ([IO.Path]) in a fresh session searches every loaded assembly (~60 ms).
if ($PSEdition -eq 'Core') {
    $loadContext = [System.Reflection.Assembly]::LoadFrom("$PSScriptRoot/bin/net8.0/KmsTools.LoadContext.dll").GetType('KmsTools.Loading.ModuleLoadContext')
    $reimport = $loadContext::IsLoaded
    $moduleAssembly = $loadContext::LoadModule()
} else {
    $reimport = [bool]('KmsTools.Commands.NewKmsKeyCommand' -as [type])
    $moduleAssembly = [System.Reflection.Assembly]::LoadFrom("$PSScriptRoot\bin\net472\KmsTools.dll")
}
if ($reimport) {
    # Import-Module -Force of KmsTools removes this module but leaves the assembly's own module in PowerShell's
    # table; importing the assembly again would hand back that stale module, whose cmdlets never reach this one
    # (PowerShell/PowerShell#20710). Dropping it first makes a re-import behave as the first one.
    Get-Module -Name "*$($moduleAssembly.FullName)*" -All | Where-Object ModuleType -EQ Binary | Remove-Module -Force
}
# A script module exports its nested modules' cmdlets; the manifest's CmdletsToExport says which.
Import-Module -Assembly $moduleAssembly
