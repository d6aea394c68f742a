BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Key = New-KmsKey -Description 'formatting'
}

AfterAll {
    Remove-Item $script:StoreHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'No formatting path prints a plaintext' {
    It 'a mixed stream, Format-List, Format-Table and Out-String under Start-Transcript show no secret byte' {
        $transcript = Join-Path $StoreHome 'transcript.txt'; $secrets = Join-Path $StoreHome 'secrets.txt'
        $out = Join-Path $StoreHome 'formatting.out'; $err = Join-Path $StoreHome 'formatting.err'
        $probe = Start-TestPwsh -ScriptPath (Join-Path $PSScriptRoot 'workers/FormattingProbe.ps1') `
            -Arguments @('-ModulePath', $ModuleManifest, '-Transcript', $transcript, '-Secrets', $secrets) -StdOut $out -StdErr $err
        $probe.WaitForExit(120000) | Should -BeTrue
        Get-Content $err -Raw | Should -BeNullOrEmpty
        $probe.ExitCode | Should -Be 0
        $printed = ((Get-Content $out -Raw) + (Get-Content $transcript -Raw)) -replace '\e\[[0-9;]*m', ''
        $printed | Should -Match 'KeyState' -Because 'the transcript holds the mixed stream'
        (Select-String -InputObject (Get-Content $transcript -Raw) -Pattern 'PrivateKeyPlaintextLength' -AllMatches).Matches.Count | Should -BeGreaterThan 0
        # What was printed does show the results (so the check below looks at real output) ...
        $printed | Should -Match 'PrivateKeyPlaintextLength\s*:\s*138'
        $printed | Should -Match '-----BEGIN PUBLIC KEY-----'
        $printed | Should -Match 'PlaintextLength\s*:\s*32'
        # ... and no secret: not as a PEM, not as base64 (a PEM line is 64 characters of it), not as bytes.
        $printed | Should -Not -Match 'PRIVATE KEY'
        $printed | Should -Not -Match '\{\d+, \d+, \d+'
        foreach ($secret in Get-Content $secrets) {
            $printed.Contains($secret.Substring(0, 24)) | Should -BeFalse -Because 'no part of a plaintext may be printed'
            $hex = -join ([Convert]::FromBase64String($secret)[0..11] | ForEach-Object { $_.ToString('x2') })
            $printed.Contains($hex) | Should -BeFalse
        }
    }

    It '<Name>: the default display property set names no secret' -ForEach @(
        @{ Name = 'GenerateDataKeyPairResponse'; Secret = 'PrivateKeyPlaintext'; Length = 'PrivateKeyPlaintextLength' }
        @{ Name = 'GenerateDataKeyResponse'; Secret = 'Plaintext'; Length = 'PlaintextLength' }
        @{ Name = 'DecryptResponse'; Secret = 'Plaintext'; Length = 'PlaintextLength' }
        @{ Name = 'GenerateRandomResponse'; Secret = 'Plaintext'; Length = 'PlaintextLength' }
        @{ Name = 'DeriveSharedSecretResponse'; Secret = 'SharedSecret'; Length = 'SharedSecretLength' }
    ) {
        $set = (Get-TypeData "KmsTools.Model.$Name").DefaultDisplayPropertySet.ReferencedProperties
        $set | Should -Contain $Length
        $set | Should -Not -Contain $Secret
        $set | Where-Object { $_ -match 'Pem$' } | Should -Not -Match 'Private'
    }

    It 'the private key PEM is made on request, and the secrets stay readable, bindable and exportable' {
        $pair = New-KmsDataKeyPair -KeyId $Key.KeyId -KeyPairSpec ECC_NIST_P256
        $pair.PSObject.Properties.Name | Should -Not -Contain 'PrivateKeyPem'
        $pair.GetPrivateKeyPem() | Should -Match '^-----BEGIN PRIVATE KEY-----\n'
        $pair.PrivateKeyPlaintext.Length | Should -Be 138
        ($pair | Invoke-KmsDecrypt).Plaintext | Should -Be $pair.PrivateKeyPlaintext
        $file = Join-Path $StoreHome 'pair.clixml'
        $pair | Export-Clixml $file
        $back = Import-Clixml $file
        [Convert]::ToBase64String($back.PrivateKeyPlaintext) | Should -BeExactly ([Convert]::ToBase64String($pair.PrivateKeyPlaintext))
        ($back | Invoke-KmsDecrypt).Plaintext | Should -Be $pair.PrivateKeyPlaintext
    }
}
