BeforeDiscovery {
    $script:Cmdlets = (Get-Command -Module KmsTools -ErrorAction SilentlyContinue).Name
    if (-not $Cmdlets) { Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'KmsTools.psd1'); $script:Cmdlets = (Get-Command -Module KmsTools).Name }
    $notKms = (Import-PowerShellDataFile (Join-Path (Split-Path $PSScriptRoot -Parent) 'build/SharedParameters.psd1')).NotKmsOperations
    $script:KmsOperationCmdlets = $Cmdlets | Where-Object { $_ -notin $notKms }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Root = Split-Path $PSScriptRoot -Parent
    $script:Docs = Join-Path $Root 'docs'
    $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

    function Read-DocParameters([string] $Name) {
        # The yaml block of each "### -Parameter" in docs/<Name>.md.
        $lines = Get-Content (Join-Path $Docs "$Name.md")
        $parameters = @{}; $current = $null; $inYaml = $false
        foreach ($line in $lines) {
            if ($line -match '^### -(\w+)$') { $current = $Matches[1]; $parameters[$current] = @{ Description = '' }; continue }
            if ($line -match '^## |^### CommonParameters') { $current = $null; continue }
            if (-not $current) { continue }
            if ($line -eq '```yaml') { $inYaml = $true; continue }
            if ($line -eq '```') { $inYaml = $false; continue }
            if ($inYaml -and $line -match '^([^:]+):\s*(.*)$') { $parameters[$current][$Matches[1]] = $Matches[2].Trim() }
            elseif (-not $inYaml -and $line.Trim()) { $parameters[$current].Description += $line }
        }
        return $parameters
    }

    function Get-CodeParameter($Parameter) {
        $sets = @($Parameter.ParameterSets.Keys)
        $positions = @($Parameter.ParameterSets.Values | ForEach-Object Position | Where-Object { $_ -ge 0 } | Sort-Object -Unique)
        $byValue = @($Parameter.ParameterSets.Values | Where-Object ValueFromPipeline).Count -gt 0
        $byName = @($Parameter.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName).Count -gt 0
        $type = $Parameter.ParameterType
        $typeName = if ($type -eq [System.Management.Automation.SwitchParameter]) { 'SwitchParameter' } elseif ([Nullable]::GetUnderlyingType($type)) { [Nullable]::GetUnderlyingType($type).Name } else { $type.Name }
        @{
            'Type' = $typeName
            'Parameter Sets' = $(if ($sets -contains '__AllParameterSets') { '(All)' } else { ($sets | Sort-Object) -join ', ' })
            'Aliases' = $Parameter.Aliases -join ', '
            'Required' = [string](@($Parameter.ParameterSets.Values | Where-Object IsMandatory).Count -gt 0)
            'Position' = $(if ($positions.Count) { [string]$positions[0] } else { 'Named' })
            'Accept pipeline input' = $(if ($byValue -and $byName) { 'True (ByPropertyName, ByValue)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' })
        }
    }
}

AfterAll {
    Remove-Item $script:StoreHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'docs/ and the module agree' {
    It 'has a docs file for every exported cmdlet, and none for a cmdlet that does not exist' {
        $documented = Get-ChildItem $Docs -Filter '*.md' | Where-Object { (Get-Content $_.FullName -TotalCount 3) -match '^external help file:' } | ForEach-Object BaseName
        $exported = (Get-Command -Module KmsTools).Name
        @($documented | Where-Object { $_ -notin $exported }) | Should -BeNullOrEmpty -Because 'a docs file must describe an exported cmdlet'
        @($exported | Where-Object { $_ -notin $documented }) | Should -BeNullOrEmpty -Because 'every exported cmdlet needs docs/<Name>.md'
    }

    It 'the module page (docs/KmsTools.md) lists every cmdlet with its synopsis (build/New-CmdletDocs.ps1 writes it)' {
        $page = Get-Content (Join-Path $Docs 'KmsTools.md')
        $listed = $page | Where-Object { $_ -match '^### \[([\w-]+)\]\(\1\.md\)$' } | ForEach-Object { $Matches[1] }
        @($listed) | Should -Be @($Cmdlets | Sort-Object)
    }

    It 'the build writes en-US/ from docs/, the same help a second rendering makes (build.ps1 -Task Help)' {
        $built = Join-Path $Root 'out/help'
        if (-not (Test-Path $built)) { Set-ItResult -Skipped -Because 'build.ps1 -Task Test writes out/help first'; return }
        (@(Get-ChildItem $built -File).Name | Sort-Object) | Should -Be (@('about_KmsTools.help.txt', 'KmsTools.dll-Help.xml') | Sort-Object)
        foreach ($file in Get-ChildItem $built -File) {
            $module = Join-Path $Root "en-US/$($file.Name)"
            Test-Path $module | Should -BeTrue -Because "the build writes en-US/$($file.Name)"
            (Get-FileHash $module).Hash | Should -BeExactly (Get-FileHash $file.FullName).Hash -Because "en-US/$($file.Name) is stale: run build.ps1 -Task Build"
        }
    }

    It '<_>: the parameters in docs equal the parameters in code' -ForEach $Cmdlets {
        $command = Get-Command $_
        $documented = Read-DocParameters $_
        $inCode = $command.Parameters.Values | Where-Object { $_.Name -notin $Common }
        ($documented.Keys | Sort-Object) -join ',' | Should -BeExactly (($inCode.Name | Sort-Object) -join ',')
        foreach ($parameter in $inCode) {
            $expected = Get-CodeParameter $parameter
            foreach ($field in $expected.Keys) {
                $documented[$parameter.Name][$field] | Should -BeExactly $expected[$field] -Because "-$($parameter.Name) $field in docs/$_.md"
            }
        }
    }

    It '<_>: the syntax in docs lists the parameter sets of the code' -ForEach $Cmdlets {
        $lines = Get-Content (Join-Path $Docs "$_.md")
        $syntax = $lines[([Array]::IndexOf($lines, '## SYNTAX'))..([Array]::IndexOf($lines, '## DESCRIPTION'))]
        $sets = $syntax | Where-Object { $_ -match '^### ' } | ForEach-Object { $_ -replace '^### ', '' -replace ' \(Default\)$', '' }
        ($sets | Sort-Object) -join ',' | Should -BeExactly (((Get-Command $_).ParameterSets.Name | Sort-Object) -join ',')
    }
}

Describe 'Get-Help' {
    It '<_>: our synopsis and description, two examples or more, every parameter described' -ForEach $Cmdlets {
        $help = Get-Help $_ -Full
        $synopsis = (Get-Content (Join-Path $Docs "$_.md") | Select-String -Pattern '^## SYNOPSIS' -Context 0, 1).Context.PostContext[0]
        $help.Synopsis | Should -BeExactly $synopsis
        $help.Synopsis | Should -Not -Match "^\s*$_ \[" -Because 'an auto-generated synopsis is the syntax'
        ($help.description.Text -join "`n").Length | Should -BeGreaterThan 80
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        foreach ($parameter in $help.parameters.parameter) {
            ($parameter.description.Text -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) needs a description"
            ($parameter.description.Text -join ' ') | Should -Not -Match 'TODO'
        }
        @($help.relatedLinks.navigationLink).Count | Should -BeGreaterOrEqual 1
    }

    It 'New-KmsDataKeyPairWithoutPlaintext -Full reads like the man page' {
        $text = Get-Help New-KmsDataKeyPairWithoutPlaintext -Full | Out-String -Width 300
        $text | Should -Match 'Returns a unique asymmetric data key pair for use outside of KMS'
        $text | Should -Match 'You cannot use an asymmetric KMS key or a KMS key in a custom key store'
        $text | Should -Match ([regex]::Escape('Required permissions: kms:GenerateDataKeyPairWithoutPlaintext (https://docs.aws.amazon.com/kms/latest/developerguide/kms-api-permissions-reference.html) (key policy).'))
        $text | Should -Match ([regex]::Escape('For more information, see Encryption Context (https://docs.aws.amazon.com/kms/latest/developerguide/encrypt_context.html) in the Key Management Service Developer Guide.'))
        $text | Should -Match ([regex]::Escape('use the DescribeKey (Get-KmsKey) operation')) -Because 'an operation named in the text points at its cmdlet'
        $text | Should -Match 'eventual consistency'
        $text | Should -Match 'SM2 data key pairs exist only in China Regions'
        $text | Should -Match 'KeyMaterialId'
        $text | Should -Match 'PublicKeyPem'
        $text | Should -Match 'Export-Clixml'
        $text | Should -Match 'aws kms generate-data-key-pair-without-plaintext'
    }

    It 'Get-Help -Parameter KeyPairSpec lists all nine specs' {
        $text = Get-Help New-KmsDataKeyPairWithoutPlaintext -Parameter KeyPairSpec | Out-String -Width 300
        foreach ($spec in 'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'SM2', 'ECC_NIST_EDWARDS25519') {
            $text | Should -Match $spec
        }
        $text | Should -Match 'Required\?\s+true'
    }

    It 'Get-Help -Examples shows the PowerShell examples' {
        $text = Get-Help New-KmsDataKeyPairWithoutPlaintext -Examples | Out-String -Width 300
        $text | Should -Match 'Example 1'
        $text | Should -Match 'Get-KmsKey -KeyId alias/backup \| New-KmsDataKeyPairWithoutPlaintext'
    }

    It 'Get-Help about_KmsTools explains the engine, the store, the remote backend, the CLI options and the format' {
        $text = Get-Help about_KmsTools | Out-String -Width 300
        foreach ($topic in 'KMSTOOLS_HOME', 'THE LOCAL ENGINE', 'THE REMOTE BACKEND', 'AWS CLI OPTIONS AS PARAMETERS', 'THE CIPHERTEXT FORMAT', 'AES-256-GCM') {
            $text | Should -Match $topic
        }
    }
}

Describe 'Parameter names' {
    It 'a list parameter has the singular name and the API''s plural as its alias (<Cmdlet> -<Name>)' -ForEach @(
        foreach ($cmdlet in 'New-KmsDataKeyPairWithoutPlaintext', 'New-KmsDataKeyPair', 'New-KmsDataKey', 'New-KmsDataKeyWithoutPlaintext',
            'Invoke-KmsEncrypt', 'Invoke-KmsDecrypt', 'Invoke-KmsReEncrypt', 'Get-KmsKey', 'Get-KmsPublicKey') { @{ Cmdlet = $cmdlet; Name = 'GrantToken'; Plural = 'GrantTokens' } }
        @{ Cmdlet = 'New-KmsKey'; Name = 'Tag'; Plural = 'Tags' }
        @{ Cmdlet = 'Add-KmsResourceTag'; Name = 'Tag'; Plural = 'Tags' }
        @{ Cmdlet = 'Remove-KmsResourceTag'; Name = 'TagKey'; Plural = 'TagKeys' }
    ) {
        $parameter = (Get-Command $Cmdlet).Parameters[$Name]
        $parameter | Should -Not -BeNullOrEmpty
        $parameter.Aliases | Should -Contain $Plural
    }

    It 'no parameter of the module has a plural name of the API' {
        foreach ($command in Get-Command -Module KmsTools) {
            $command.Parameters.Keys | Should -Not -BeIn 'GrantTokens', 'Tags', 'TagKeys' -Because "$($command.Name) follows the singular rule"
        }
    }

    It 'the plural alias works, and an error about the list member names the singular parameter''s value' {
        $key = New-KmsKey -Tags @{ team = 'ops' }
        (Get-KmsResourceTag -KeyId $key.KeyId).TagKey | Should -Be 'team'
        $tokens = 1..11 | ForEach-Object { "token$_" }
        $failure = $null
        try { Get-KmsKey -KeyId $key.KeyId -GrantToken $tokens -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'ValidationException*'
        $failure.TargetObject | Should -Be $tokens
    }
}

Describe 'The docs are this module''s' {
    BeforeAll {
        $script:Shared = (Import-PowerShellDataFile (Join-Path $Root 'build/SharedParameters.psd1')).Shared
        $script:ProjectUri = (Import-PowerShellDataFile $ModuleManifest).PrivateData.PSData.ProjectUri
        # The prose of a doc: no front matter, no code fences, no syntax lines.
        function Get-Prose([string] $Name) {
            $fenced = $false
            foreach ($line in Get-Content (Join-Path $Docs "$Name.md")) {
                if ($line -match '^```') { $fenced = -not $fenced; continue }
                if (-not $fenced -and $line -notmatch '^(---|[\w ]+: )') { $line }
            }
        }
    }

    It '<_>: no man-page artifacts (a space before punctuation, "Cross-account use :")' -ForEach $Cmdlets {
        $prose = Get-Prose $_
        $prose | Where-Object { $_ -match '\S +[.,;:](\s|$)' } | Should -BeNullOrEmpty
        $prose | Where-Object { $_ -match '<(i|b|p|code|a)>' } | Should -BeNullOrEmpty -Because 'the model''s HTML becomes markdown'
    }

    It '<_>: a Developer Guide reference links its topic' -ForEach $Cmdlets {
        Get-Prose $_ | Where-Object { $_ -match '\bsee (?!\[)[^.\[]*? in the \*?(Amazon Web Services )?Key Management Service Developer Guide' } | Should -BeNullOrEmpty
    }

    It '<_>: what AWS says of accounts and CloudTrail is said as it applies to the local engine' -ForEach $Cmdlets {
        foreach ($paragraph in Get-Prose $_ | Where-Object { $_ -match 'Cross-account use|CloudTrail|in a different Amazon Web Services account' }) {
            $paragraph | Should -Match 'local engine'
        }
    }

    It '<_>: online version is the module''s own doc, and no TODO is left' -ForEach $Cmdlets {
        $lines = Get-Content (Join-Path $Docs "$_.md")
        $lines | Where-Object { $_ -like 'online version:*' } | Should -BeExactly "online version: $ProjectUri/blob/main/docs/$_.md"
        $lines | Where-Object { $_ -match 'TODO' } | Should -BeNullOrEmpty
    }

    # The server's cmdlets are no KMS operation: their -PassThru says what they return, in docs written by hand.
    It '<_>: shared parameters have the one text of build/SharedParameters.psd1' -ForEach $KmsOperationCmdlets {
        $documented = Read-DocParameters $_
        foreach ($name in $documented.Keys | Where-Object { $Shared.ContainsKey($_) }) {
            $documented[$name].Description | Should -BeExactly $Shared[$name] -Because "docs/$_.md -$name (run build/New-CmdletDocs.ps1 -Refresh)"
        }
    }
}

Describe 'Get-Help reads well' {
    It '<_>: the synopsis is a sentence, not the lead-in of a list' -ForEach $Cmdlets {
        (Get-Help $_).Synopsis | Should -Not -Match ':$'
    }

    It 'OUTPUTS show one member per line, and a list in a description one item per line' {
        $text = Get-Help New-KmsDataKeyPairWithoutPlaintext -Full | Out-String -Width 300
        foreach ($member in 'PrivateKeyCiphertextBlob', 'PublicKey', 'KeyId', 'KeyPairSpec', 'PublicKeyPem') {
            $text | Should -Match "(?m)^\s+- $($member):"
        }
        Get-Help Get-KmsKey -Full | Out-String -Width 300 | Should -Match '(?m)^\s+- Tags on the KMS key\.'
    }
}
