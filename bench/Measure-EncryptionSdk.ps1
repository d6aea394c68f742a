<#
.SYNOPSIS
    The Encryption SDK half of build.ps1 -Task Bench: Protect-KmsFile and Unprotect-KmsFile on a 1 GiB file against
    the machine's limits (openssl speed -evp for AES-256-GCM and SHA-384, taken in the same run) and against the
    AWS Encryption SDK for JavaScript on the same file, and peak memory for two file sizes. Writes esdk.json and
    esdk.md to the results folder and appends its targets to report.md.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Results,
    # Where the 1 GiB file and its outputs go: the temp folder unless given (a tmpfs such as /dev/shm keeps the disk out of it).
    [string] $WorkFolder = [IO.Path]::GetTempPath(),
    [int] $Rounds = 5
)
$ErrorActionPreference = 'Stop'
$home_ = Join-Path ([IO.Path]::GetTempPath()) ("kmstools-bench-esdk-" + [guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $home_ -Force | Out-Null
$env:KMSTOOLS_HOME = $home_
$work = Join-Path $WorkFolder ("kmstools-esdk-" + [guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $work -Force | Out-Null
New-Item -ItemType Directory -Path $Results -Force | Out-Null
Import-Module $ModulePath
$interop = Join-Path (Split-Path $ModulePath -Parent) 'out/interop'
$env:AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1'

function Get-Median([double[]] $Values) { $sorted = $Values | Sort-Object; $sorted[[int][math]::Floor($sorted.Count / 2)] }
function Get-OpenSslRate([string] $Algorithm, [int] $Bytes) {
    # The k-bytes-per-second figure of `openssl speed -evp <alg> -bytes <n>`, as bytes per second.
    $line = (& openssl speed -evp $Algorithm -bytes $Bytes -seconds 3 2>$null | Select-Object -Last 1)
    [double](($line -split '\s+')[-1] -replace 'k$', '') * 1000
}
function Measure-Copy([string] $From, [string] $To) {
    # The folder's own ceiling in this round: the file read and written in 1 MiB pieces, no crypto.
    $buffer = [byte[]]::new(1MB)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $in = [IO.FileStream]::new($From, 'Open', 'Read', 'Read', 1, 'SequentialScan'); $out = [IO.FileStream]::new($To, 'CreateNew', 'Write', 'None', 1, 'None')
    try { while (($n = $in.Read($buffer, 0, $buffer.Length)) -gt 0) { $out.Write($buffer, 0, $n) } } finally { $in.Dispose(); $out.Dispose() }
    $rate = (Get-Item $From).Length / $watch.Elapsed.TotalSeconds
    Remove-Item $To
    $rate
}
function Clear-Writeback {
    # Dirty pages of an earlier round must not be written back during this one (the disk is slower than the work).
    if (Get-Command sync -CommandType Application -ErrorAction SilentlyContinue) { & sync }
    # Then memory as warm for each timed writer: on a VM whose host backs guest memory lazily and takes freed pages
    # back (free page reporting, as Firecracker's balloon does), the first write to a page costs a host fault, and a
    # 1 GiB write into such pages runs at 0.3-0.5 GB/s against 3 GB/s into pages just freed (dd, here). Writing and
    # deleting 1 GiB right before each timed command gives every writer (the cmdlets, the ESDK for JavaScript, the
    # plain copy) the same just-freed pages, as a machine with real memory would have them anyway.
    $scratch = Join-Path $work 'warm.bin'
    $zeros = [byte[]]::new(1MB)
    $out = [IO.FileStream]::new($scratch, 'Create', 'Write', 'None', 1, 'None')
    try { for ($i = 0; $i -lt 1024; $i++) { $out.Write($zeros, 0, $zeros.Length) } } finally { $out.Dispose() }
    Remove-Item $scratch
}

try {
    $size = 1GB
    $big = Join-Path $work 'plain.bin'
    # Random bytes: the cipher's speed does not depend on them, but a file of zeros could be sparse.
    $chunk = [byte[]]::new(16MB); $random = [Random]::new(1); $stream = [IO.File]::Create($big)
    for ($i = 0; $i -lt $size / $chunk.Length; $i++) { $random.NextBytes($chunk); $stream.Write($chunk, 0, $chunk.Length) }
    $stream.Dispose()

    $aes = Get-OpenSslRate 'aes-256-gcm' 16384
    $aes4k = Get-OpenSslRate 'aes-256-gcm' 4096
    $sha = Get-OpenSslRate 'sha384' 16384
    $combined = 1 / (1 / $aes + 1 / $sha)
    Write-Host ("  openssl speed, one core: AES-256-GCM {0:N0} MB/s (4 KiB blocks: {1:N0}), SHA-384 {2:N0} MB/s; both over the same bytes {3:N0} MB/s" -f ($aes / 1e6), ($aes4k / 1e6), ($sha / 1e6), ($combined / 1e6))
    # What the platform's AES-GCM (System.Security.Cryptography.AesGcm, the frames' cipher where OpenSSL's EVP does not
    # load) does with 4 KiB frames on one core: each call sets the key again, so a frame costs more than openssl
    # speed's 4 KiB blocks, which is what the frames cost through EVP.
    Add-Type -TypeDefinition @'
public static class KmsToolsBenchAesGcm
{
    public static double FramesPerSecondBytes(int frame, int count)
    {
        var gcm = new System.Security.Cryptography.AesGcm(new byte[32], 16);
        byte[] plain = new byte[frame], sealedFrame = new byte[frame], tag = new byte[16], iv = new byte[12], aad = new byte[76];
        for (int i = 0; i < 20000; i++) gcm.Encrypt(iv, plain, sealedFrame, tag, aad);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < count; i++) { iv[11] = (byte)i; gcm.Encrypt(iv, plain, sealedFrame, tag, aad); }
        return (double)count * frame / watch.Elapsed.TotalSeconds;
    }
}
'@
    $platform4k = [KmsToolsBenchAesGcm]::FramesPerSecondBytes(4096, 262144)
    Write-Host ("  the platform's AesGcm (the fallback off Linux), one core, 4 KiB frames: {0:N0} MB/s" -f ($platform4k / 1e6))

    $key = New-KmsKey -Description 'esdk bench'
    $pair = New-KmsDataKeyPair -KeyId $key.KeyId -KeyPairSpec RSA_2048
    $pem = $pair.GetPrivateKeyPem()
    $name = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($pair.PublicKey)).ToLowerInvariant()
    # Warm-up on a small file: the JIT's first compilations are not what a 1 GiB file costs.
    $small = Join-Path $work 'small.bin'; [IO.File]::WriteAllBytes($small, [byte[]]::new(1MB))
    $null = Protect-KmsFile $small -PublicKey $pair.PublicKey -Force -ProgressAction SilentlyContinue
    $null = Unprotect-KmsFile "$small.encrypted" -Destination (Join-Path $work 'small.out') -KeyPair $pair -Force -ProgressAction SilentlyContinue

    $hasNode = (Get-Command node -CommandType Application -ErrorAction SilentlyContinue) -and (Test-Path (Join-Path $interop 'node_modules/@aws-crypto/client-node'))
    $rows = foreach ($suite in @(@{ Id = 0x0578; Name = 'ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384' }, @{ Id = 0x0478; Name = 'ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY' })) {
        $message = Join-Path $work 'plain.bin.encrypted'; $restored = Join-Path $work 'restored.bin'
        $enc = @(); $dec = @(); $jsEnc = @(); $jsDec = @(); $copies = @()
        foreach ($round in 1..$Rounds) {
            Clear-Writeback
            $copies += Measure-Copy $big (Join-Path $work 'copy.bin')
            Clear-Writeback
            $t = Measure-Command { $null = Protect-KmsFile $big -PublicKey $pair.PublicKey -Algorithm $suite.Name -Destination $message -Force -ProgressAction SilentlyContinue }
            $enc += $size / $t.TotalSeconds
            Clear-Writeback
            $t = Measure-Command { $null = Unprotect-KmsFile $message -KeyPair $pair -Destination $restored -Force -ProgressAction SilentlyContinue }
            $dec += $size / $t.TotalSeconds
            Remove-Item $restored
            if ($hasNode) {
                $options = @{ keyNamespace = 'kmstools-data-key-pair'; keyName = $name; privateKeyPem = $pem } | ConvertTo-Json -Compress
                Clear-Writeback
                $jsDec += $size / (& node (Join-Path $interop 'esdk-client.mjs') decrypt $message $restored rsa $options 2>$null | ConvertFrom-Json).seconds
                Remove-Item $restored, $message
                $options = @{ keyNamespace = 'kmstools-data-key-pair'; keyName = $name; publicKeyPem = $pair.PublicKeyPem; suiteId = $suite.Id } | ConvertTo-Json -Compress
                Clear-Writeback
                $jsEnc += $size / (& node (Join-Path $interop 'esdk-client.mjs') encrypt $big $message rsa $options 2>$null | ConvertFrom-Json).seconds
                Remove-Item $message
            }
            else { Remove-Item $message }
        }
        $limit = if ($suite.Id -eq 0x0578) { $combined } else { $aes }
        $share = if ($suite.Id -eq 0x0578) { 0.6 } else { 0.5 }
        $row = [pscustomobject]@{
            suite = '0x{0:X4}' -f $suite.Id
            protect_mb_s = [math]::Round((Get-Median $enc) / 1e6); unprotect_mb_s = [math]::Round((Get-Median $dec) / 1e6)
            protect_best_mb_s = [math]::Round(($enc | Measure-Object -Maximum).Maximum / 1e6); unprotect_best_mb_s = [math]::Round(($dec | Measure-Object -Maximum).Maximum / 1e6)
            limit_mb_s = [math]::Round($limit / 1e6); target_share = $share
            protect_share = [math]::Round((Get-Median $enc) / $limit, 3); unprotect_share = [math]::Round((Get-Median $dec) / $limit, 3)
            esdk_js_encrypt_mb_s = if ($jsEnc) { [math]::Round((Get-Median $jsEnc) / 1e6) } else { $null }
            esdk_js_decrypt_mb_s = if ($jsDec) { [math]::Round((Get-Median $jsDec) / 1e6) } else { $null }
            protect_over_js = if ($jsEnc) { [math]::Round((Get-Median $enc) / (Get-Median $jsEnc), 2) } else { $null }
            unprotect_over_js = if ($jsDec) { [math]::Round((Get-Median $dec) / (Get-Median $jsDec), 2) } else { $null }
            copy_mb_s = [math]::Round((Get-Median $copies) / 1e6)
            protect_rounds_mb_s = @($enc | ForEach-Object { [math]::Round($_ / 1e6) }); unprotect_rounds_mb_s = @($dec | ForEach-Object { [math]::Round($_ / 1e6) })
            copy_rounds_mb_s = @($copies | ForEach-Object { [math]::Round($_ / 1e6) })
            protect_over_copy = [math]::Round((Get-Median $enc) / (Get-Median $copies), 2); unprotect_over_copy = [math]::Round((Get-Median $dec) / (Get-Median $copies), 2)
        }
        Write-Host ("  {0}: Protect-KmsFile {1} MB/s (best {8}), Unprotect-KmsFile {2} MB/s (best {9}) ({3:P0} and {4:P0} of the {5} MB/s limit); ESDK-JS {6} / {7} MB/s; a plain copy {10} MB/s ({11} and {12} of it)" -f $row.suite, $row.protect_mb_s, $row.unprotect_mb_s, $row.protect_share, $row.unprotect_share, $row.limit_mb_s, $row.esdk_js_encrypt_mb_s, $row.esdk_js_decrypt_mb_s, $row.protect_best_mb_s, $row.unprotect_best_mb_s, $row.copy_mb_s, $row.protect_over_copy, $row.unprotect_over_copy)
        $row
    }

    # Peak memory of a whole process encrypting and decrypting 64 MiB, then 1 GiB: flat, whatever the size.
    $memory = foreach ($bytes in 64MB, 1GB) {
        $file = if ($bytes -eq 1GB) { $big } else { $f = Join-Path $work 'mid.bin'; $s = [IO.File]::Create($f); $s.SetLength($bytes); $s.Dispose(); $f }
        $script = "Import-Module '$ModulePath'; `$env:KMSTOOLS_HOME = '$home_'; `$pair = Import-Clixml '$(Join-Path $work 'pair.xml')'; " +
            "`$null = Protect-KmsFile '$file' -PublicKey `$pair.PublicKey -Destination '$file.m' -Force -ProgressAction SilentlyContinue; " +
            "`$null = Unprotect-KmsFile '$file.m' -KeyPair `$pair -Destination '$file.r' -Force -ProgressAction SilentlyContinue; " +
            "[GC]::Collect(); [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64"
        if (-not (Test-Path (Join-Path $work 'pair.xml'))) { $pair | Export-Clixml (Join-Path $work 'pair.xml') }
        $exe = [Environment]::ProcessPath
        $peak = if ((Split-Path $exe -Leaf) -match '^dotnet(\.exe)?$') { & $exe (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script } else { & $exe -NoProfile -NonInteractive -Command $script }
        Remove-Item "$file.m", "$file.r" -ErrorAction SilentlyContinue
        [pscustomobject]@{ file_bytes = $bytes; peak_working_set_mb = [math]::Round([double]($peak | Select-Object -Last 1) / 1MB) }
    }
    Write-Host ("  peak working set: {0} MB for 64 MiB, {1} MB for 1 GiB" -f $memory[0].peak_working_set_mb, $memory[1].peak_working_set_mb)

    $summary = [pscustomobject]@{
        openssl = [pscustomobject]@{ aes_256_gcm_mb_s = [math]::Round($aes / 1e6); aes_256_gcm_4k_mb_s = [math]::Round($aes4k / 1e6); platform_aes_gcm_4k_frames_mb_s = [math]::Round($platform4k / 1e6); sha384_mb_s = [math]::Round($sha / 1e6); combined_mb_s = [math]::Round($combined / 1e6) }
        work_folder = $WorkFolder; file_bytes = $size; rounds = $Rounds; suites = @($rows); memory = @($memory)
    }
    $summary | ConvertTo-Json -Depth 5 | Set-Content (Join-Path $Results 'esdk.json')

    $md = [Text.StringBuilder]::new()
    $null = $md.AppendLine('## Encryption SDK messages: Protect-KmsFile and Unprotect-KmsFile on a 1 GiB file').AppendLine()
    $null = $md.AppendLine("Folder: $WorkFolder; medians of $Rounds rounds; openssl speed (one core, 16 KiB blocks): AES-256-GCM $($summary.openssl.aes_256_gcm_mb_s) MB/s, SHA-384 $($summary.openssl.sha384_mb_s) MB/s, both over the same bytes $($summary.openssl.combined_mb_s) MB/s; openssl speed on 4 KiB blocks (what the frames cost through EVP): $($summary.openssl.aes_256_gcm_4k_mb_s) MB/s; the platform's AesGcm (the fallback off Linux) on 4 KiB frames: $($summary.openssl.platform_aes_gcm_4k_frames_mb_s) MB/s.").AppendLine()
    $null = $md.AppendLine('Protect-KmsFile and Unprotect-KmsFile: median MB/s (share of the limit), best of the rounds after the slash.').AppendLine()
    $null = $md.AppendLine('The last column is the folder''s own ceiling in the same rounds: the file copied in 1 MiB reads and writes, no crypto, and the cmdlets'' share of it.').AppendLine()
    $null = $md.AppendLine('| suite | Protect-KmsFile MB/s | Unprotect-KmsFile MB/s | limit MB/s | target | ESDK-JS encrypt / decrypt MB/s | over ESDK-JS | met | plain copy MB/s (share) |').AppendLine('|---|---|---|---|---|---|---|---|---|')
    foreach ($row in $rows) {
        $met = ($row.protect_share -ge $row.target_share) -and ($row.unprotect_share -ge $row.target_share) -and ($null -eq $row.protect_over_js -or ($row.protect_over_js -ge 2 -and $row.unprotect_over_js -ge 2))
        $null = $md.AppendLine("| $($row.suite) | $($row.protect_mb_s) ($($row.protect_share)) / $($row.protect_best_mb_s) | $($row.unprotect_mb_s) ($($row.unprotect_share)) / $($row.unprotect_best_mb_s) | $($row.limit_mb_s) | >= $($row.target_share), >= 2x ESDK-JS | $($row.esdk_js_encrypt_mb_s) / $($row.esdk_js_decrypt_mb_s) | $($row.protect_over_js) / $($row.unprotect_over_js) | $(if ($met) { 'yes' } else { 'no' }) | $($row.copy_mb_s) ($($row.protect_over_copy) / $($row.unprotect_over_copy)) |")
    }
    $flat = $memory[1].peak_working_set_mb -le $memory[0].peak_working_set_mb * 1.15
    $null = $md.AppendLine().AppendLine("Peak working set of a process that encrypts and decrypts a file: $($memory[0].peak_working_set_mb) MB for 64 MiB, $($memory[1].peak_working_set_mb) MB for 1 GiB (flat: $(if ($flat) { 'yes' } else { 'no' })).")
    $md.ToString() | Set-Content (Join-Path $Results 'esdk.md')
    $report = Join-Path $Results 'report.md'
    if (Test-Path $report) { Add-Content $report ("`n" + $md.ToString()) }
}
finally {
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
    Remove-Item $home_ -Recurse -Force -ErrorAction SilentlyContinue
}
