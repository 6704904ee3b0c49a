<#
PesterCompat: a small Pester-5-compatible runner, so tests/pester/*.Tests.ps1 (written for real Pester 5)
also run under `dotnet test` in the PowerShell engine hosted by LeadTools.PowerShell.Tests, where only the
Microsoft.PowerShell.Core cmdlets exist and Pester itself is not available.

THE TEST FILES MUST STAY INSIDE THIS SUBSET OF PESTER 5 (anything else fails here, or behaves differently):

  Blocks     Describe / Context  [-Name] <string> [-Fixture] {..} [-Skip] [-Tag ..] [-ForEach <data>] [-AllowNullOrEmptyForEach]
             It                  [-Name] <string> [-Test] {..}    [-Skip] [-Tag ..] [-ForEach|-TestCases <data>] [-AllowNullOrEmptyForEach]
             -ForEach data: an array; each item makes one block/test; in it $_ is the item and, for a hashtable item,
             every key is also a variable. '<name>' / '<name.prop>' / '<_>' in names are expanded from the data
             (the test's own data first, then the enclosing blocks'). An empty/$null -ForEach is an error unless
             -AllowNullOrEmptyForEach (as in Pester 5.4+). Tags are accepted and ignored (no filtering).
  Setup      BeforeAll, AfterAll (once per block, around its tests and nested blocks), BeforeEach, AfterEach
             (around every It of the block and of nested blocks; BeforeEach outer first, AfterEach inner first;
             they share the It's scope). BeforeAll/AfterAll may also be used at the top of the file (outside any
             Describe). BeforeDiscovery {..} runs during discovery, in the caller's scope (its variables can feed
             -ForEach). Set-ItResult -Skipped [-Because ..] inside an It.
  Should     -Be, -BeExactly, -BeNullOrEmpty, -HaveCount, -BeOfType (-HaveType), -BeTrue, -BeFalse, -Contain,
             -Match, -MatchExactly, -BeLike, -BeLikeExactly, -BeGreaterThan, -BeLessThan, -BeGreaterOrEqual,
             -BeLessOrEqual, -Exist, -BeIn, -HaveParameter [-Type] [-Mandatory],
             -Throw [[-ExpectedMessage] <wildcard>] [-ErrorId <wildcard on FullyQualifiedErrorId>] [-ExceptionType]
             [-PassThru]; -Not with any of them; -Because with any of them. Aliases -EQ -CEQ -GT -LT -GE -LE.
             Pipeline input is collected like Pester 5: -Be/-BeExactly/-BeNullOrEmpty/-HaveCount/-Contain see the
             whole input as one array, every other operator checks each item; no input at all tests $null.
             NB -ErrorId is a -like match against the whole FullyQualifiedErrorId (e.g. 'NoRows,Get-Lead' or
             'NoRows,*'), exactly as in Pester 5: a bare 'NoRows' does NOT match 'NoRows,LeadTools...GetLeadCommand'.
  Variables  $TestDrive: a fresh empty folder for the file and for every Describe (a Context shares its
             parent's), deleted afterwards. There is no TestDrive: PSDrive; build paths with
             [System.IO.Path]::Combine($TestDrive, 'name'). $PSScriptRoot works in every block.
  Phases     Like Pester 5: discovery runs the file (top-level code, Describe/Context bodies, BeforeDiscovery)
             and only registers It/BeforeAll/...; the run phase then runs the registered blocks. So code that
             the tests need must live in BeforeAll/BeforeEach/It, not at the top of the file or in a Describe body.
             Variables set in a BeforeAll are visible to the block's tests and nested blocks.
  Failures   A failing Should throws (Should.ErrorAction = Stop, Pester's default): the test fails with Pester's
             message ("Expected 3, but got 4.") and the Should line. Non-terminating errors don't fail a test.
             A failing BeforeAll fails every test of its block; a failing AfterAll fails the block's tests too.

NOT supported: Mock / Should -Invoke, InModuleScope, TestDrive: drive, TestRegistry, -Tag filtering,
Should -BeEquivalentTo / -FileContentMatch* / -HaveParameter -DefaultValue/-Alias/-HasArgumentCompleter,
Set-ItResult -Inconclusive/-Pending, legacy (dash-less) Should syntax, Pester configuration objects.
Also remember the hosted engine has only Microsoft.PowerShell.Core cmdlets: no Get-Content, Join-Path,
Test-Path, Select-Object, Write-Output ... -- use the language and .NET ([System.IO.File]::..., etc.).

Use (from C#; see PesterRunner.cs): dot-source this file, then
    Invoke-PesterCompat -Path <file.Tests.ps1> [-DiscoveryOnly]
which returns one object: Tests (the full names "Describe > Context > It", in order, made unique with " #2"...),
DiscoveryError (text or $null) and Results (FullName, Outcome Passed|Failed|Skipped, Message, File, Line,
LineText, StackTrace, DurationMs).
#>

# These three script blocks are written here, at the top of a dot-sourced script, so they are bound to the
# caller's (the tests') session state and not to the module's below. Invoked with '&' from the module, they
# open a new scope in the tests' session state, in which the module then dot-sources the tests' script
# blocks. That is how the blocks get nested scopes without seeing any of the runner's own variables.
$__PesterCompatScope = { param($__PesterCompatCallback, $__PesterCompatArgument) & $__PesterCompatCallback $__PesterCompatArgument }
$__PesterCompatRunFile = { param($__PesterCompatPath) . $__PesterCompatPath }
$__PesterCompatSessionState = { $ExecutionContext.SessionState }

$null = New-Module -Name PesterCompat -ArgumentList $__PesterCompatScope, $__PesterCompatRunFile, $__PesterCompatSessionState -ScriptBlock {
    param($UserScope, $UserRunFile, $UserSessionStateGetter)

    Set-StrictMode -Off
    $script:UserScope = $UserScope
    $script:UserRunFile = $UserRunFile
    $script:UserSS = & $UserSessionStateGetter
    $script:State = $null

    # ------------------------------------------------------------------ model

    function New-PcBlock {
        param($Kind, $Name, $Parent, $Data, [bool] $HasData, [bool] $Skip, $Line)
        [pscustomobject]@{
            IsBlock    = $true
            Kind       = $Kind
            Name       = $Name
            Parent     = $Parent
            Data       = $Data
            HasData    = $HasData
            Skip       = $Skip
            Line       = $Line
            BeforeAll  = [System.Collections.Generic.List[scriptblock]]::new()
            AfterAll   = [System.Collections.Generic.List[scriptblock]]::new()
            BeforeEach = [System.Collections.Generic.List[scriptblock]]::new()
            AfterEach  = [System.Collections.Generic.List[scriptblock]]::new()
            Items      = [System.Collections.Generic.List[object]]::new()
        }
    }

    function Assert-PcDiscovery([string] $Command) {
        if ($null -eq $script:State) {
            throw "$Command can only be used in a test file run by Invoke-PesterCompat (or by Pester 5)."
        }
        if ($script:State.Phase -ne 'Discovery') {
            throw "$Command can only be used during discovery (at the top of the file or directly in a Describe/Context body), not inside It/BeforeAll/BeforeEach/AfterEach/AfterAll."
        }
    }

    function Get-PcForEachItems($BoundParameters, [string] $Key, $Value, [bool] $AllowEmpty, [string] $Command) {
        # Returns a list of @{ Data; HasData } entries, one per instance to create.
        $list = [System.Collections.Generic.List[object]]::new()
        if (-not $BoundParameters.ContainsKey($Key)) {
            $list.Add(@{ Data = $null; HasData = $false })
            return , $list
        }
        if ($null -eq $Value -or @($Value).Count -eq 0) {
            if ($AllowEmpty) { return , $list }
            throw [System.ArgumentException]::new("$Command -${Key}: Value can not be null or empty array. If this is expected, use -AllowNullOrEmptyForEach", $Key)
        }
        foreach ($item in $Value) { $list.Add(@{ Data = $item; HasData = $true }) }
        return , $list
    }

    function Format-PcNameValue($Value) {
        if ($null -eq $Value) { return '$null' }
        if ($Value -is [bool]) { if ($Value) { return '$true' } else { return '$false' } }
        if ($Value -is [string]) { return $Value }
        if ($Value -is [System.Collections.IEnumerable] -and $Value -isnot [System.Collections.IDictionary]) { return Format-PcNicely $Value }
        return [string] $Value
    }

    function Resolve-PcTemplatePart($Data, [string] $Expression, [ref] $Found) {
        $parts = $Expression.Trim().TrimStart('$').Split('.')
        $head = $parts[0]
        if ($head -eq '_') {
            $value = $Data
        }
        elseif ($Data -is [System.Collections.IDictionary] -and $Data.Contains($head)) {
            $value = $Data[$head]
        }
        else {
            $Found.Value = $false
            return $null
        }
        for ($i = 1; $i -lt $parts.Length; $i++) {
            if ($null -eq $value) { break }
            if ($value -is [System.Collections.IDictionary]) { $value = $value[$parts[$i]] }
            else { $value = $value.PSObject.Properties[$parts[$i]].Value }
        }
        $Found.Value = $true
        return $value
    }

    function Expand-PcName([string] $Name, $DataChain) {
        # DataChain: list of @{ Data; HasData }, innermost first.
        if ($Name -notlike '*<*>*') { return $Name }
        $evaluator = {
            param($m)
            foreach ($entry in $DataChain) {
                if (-not $entry.HasData) { continue }
                $found = $false
                $value = Resolve-PcTemplatePart $entry.Data $m.Groups[1].Value ([ref] $found)
                if ($found) { return (Format-PcNameValue $value) }
            }
            return $m.Value
        }
        return [regex]::Replace($Name, '<([^<>]+)>', [System.Text.RegularExpressions.MatchEvaluator] $evaluator)
    }

    function Get-PcDataChain($Block, $Data, [bool] $HasData) {
        $chain = [System.Collections.Generic.List[object]]::new()
        $chain.Add(@{ Data = $Data; HasData = $HasData })
        for ($b = $Block; $null -ne $b; $b = $b.Parent) { $chain.Add(@{ Data = $b.Data; HasData = $b.HasData }) }
        return , $chain
    }

    function Set-PcData($Data, [bool] $HasData) {
        # Sets $_ and (for a dictionary) one variable per key in the tests' current scope.
        if (-not $HasData) { return }
        $script:UserSS.PSVariable.Set('_', $Data)
        if ($Data -is [System.Collections.IDictionary]) {
            foreach ($key in $Data.Keys) { $script:UserSS.PSVariable.Set([string] $key, $Data[$key]) }
        }
    }

    # ------------------------------------------------------------------ discovery keywords

    function Add-PcBlock($Kind, $BoundParameters, [string] $Name, [scriptblock] $Fixture, [bool] $Skip, $Data, [bool] $AllowEmpty, $Line) {
        Assert-PcDiscovery $Kind
        if ($null -eq $Fixture) { throw "$Kind '$Name': the block has no script block." }
        $parent = $script:State.Current
        $entries = Get-PcForEachItems $BoundParameters 'ForEach' $Data $AllowEmpty $Kind
        foreach ($entry in $entries) {
            $expanded = Expand-PcName $Name (Get-PcDataChain $parent $entry.Data $entry.HasData)
            $block = New-PcBlock -Kind $Kind -Name $expanded -Parent $parent -Data $entry.Data -HasData $entry.HasData -Skip $Skip -Line $Line
            $parent.Items.Add($block)
            $script:State.Current = $block
            try {
                $null = & $script:UserScope {
                    param($s)
                    Set-PcData $s.Data $s.HasData
                    $null = . $s.Fixture
                } @{ Data = $entry.Data; HasData = $entry.HasData; Fixture = $Fixture }
            }
            finally {
                $script:State.Current = $parent
            }
        }
    }

    function Describe {
        [CmdletBinding()]
        param(
            [Parameter(Mandatory = $true, Position = 0)] [string] $Name,
            [Alias('Tags')] [string[]] $Tag,
            [Parameter(Position = 1)] [scriptblock] $Fixture,
            [switch] $Skip,
            [object[]] $ForEach,
            [switch] $AllowNullOrEmptyForEach
        )
        Add-PcBlock 'Describe' $PSBoundParameters $Name $Fixture $Skip.IsPresent $ForEach $AllowNullOrEmptyForEach.IsPresent $MyInvocation.ScriptLineNumber
    }

    function Context {
        [CmdletBinding()]
        param(
            [Parameter(Mandatory = $true, Position = 0)] [string] $Name,
            [Alias('Tags')] [string[]] $Tag,
            [Parameter(Position = 1)] [scriptblock] $Fixture,
            [switch] $Skip,
            [object[]] $ForEach,
            [switch] $AllowNullOrEmptyForEach
        )
        Add-PcBlock 'Context' $PSBoundParameters $Name $Fixture $Skip.IsPresent $ForEach $AllowNullOrEmptyForEach.IsPresent $MyInvocation.ScriptLineNumber
    }

    function It {
        [CmdletBinding()]
        param(
            [Parameter(Mandatory = $true, Position = 0)] [string] $Name,
            [Parameter(Position = 1)] [scriptblock] $Test,
            [Alias('ForEach')] [object[]] $TestCases,
            [Alias('Tags')] [string[]] $Tag,
            [switch] $Skip,
            [switch] $AllowNullOrEmptyForEach
        )
        Assert-PcDiscovery 'It'
        $block = $script:State.Current
        $entries = Get-PcForEachItems $PSBoundParameters 'TestCases' $TestCases $AllowNullOrEmptyForEach.IsPresent 'It'
        foreach ($entry in $entries) {
            $block.Items.Add([pscustomobject]@{
                    IsBlock  = $false
                    Name     = Expand-PcName $Name (Get-PcDataChain $block $entry.Data $entry.HasData)
                    FullName = $null
                    Body     = $Test
                    Data     = $entry.Data
                    HasData  = $entry.HasData
                    Skip     = $Skip.IsPresent
                    File     = $MyInvocation.ScriptName
                    Line     = $MyInvocation.ScriptLineNumber
                    Block    = $block
                })
        }
    }

    function BeforeAll { param([Parameter(Mandatory = $true, Position = 0)] [scriptblock] $Scriptblock) Assert-PcDiscovery 'BeforeAll'; $script:State.Current.BeforeAll.Add($Scriptblock) }
    function AfterAll { param([Parameter(Mandatory = $true, Position = 0)] [scriptblock] $Scriptblock) Assert-PcDiscovery 'AfterAll'; $script:State.Current.AfterAll.Add($Scriptblock) }
    function BeforeEach { param([Parameter(Mandatory = $true, Position = 0)] [scriptblock] $Scriptblock) Assert-PcDiscovery 'BeforeEach'; $script:State.Current.BeforeEach.Add($Scriptblock) }
    function AfterEach { param([Parameter(Mandatory = $true, Position = 0)] [scriptblock] $Scriptblock) Assert-PcDiscovery 'AfterEach'; $script:State.Current.AfterEach.Add($Scriptblock) }

    function BeforeDiscovery {
        param([Parameter(Mandatory = $true, Position = 0)] [scriptblock] $Scriptblock)
        # The script block belongs to the tests' session state, so dot-sourcing it from this module runs it in
        # the caller's current scope: its variables stay visible to the -ForEach expressions that follow.
        . $Scriptblock
    }

    function Set-ItResult {
        [CmdletBinding()]
        param([switch] $Skipped, [switch] $Inconclusive, [switch] $Pending, [string] $Because)
        if (-not $Skipped) { throw 'Set-ItResult: only -Skipped is supported by PesterCompat.' }
        $message = 'is skipped'
        if ($Because) { $message += ", because $Because" }
        throw [System.Management.Automation.ErrorRecord]::new([System.Exception]::new($message), 'PesterCompat.Skipped', [System.Management.Automation.ErrorCategory]::NotSpecified, $null)
    }

    # ------------------------------------------------------------------ run phase

    function Test-PcRunnable($Block) {
        if ($Block.Skip) { return $false }
        foreach ($item in $Block.Items) {
            if ($item.IsBlock) { if (Test-PcRunnable $item) { return $true } }
            elseif (-not $item.Skip -and $null -ne $item.Body) { return $true }
        }
        return $false
    }

    function Get-PcStackTrace($ErrorRecord) {
        $text = [string] $ErrorRecord.ScriptStackTrace
        if (-not $text) { return $null }
        $compat = $script:CompatFile
        $lines = foreach ($l in ($text -split '\r?\n')) {
            if ($l -and -not ($compat -and $l.Contains($compat)) -and -not $l.Contains('<No file>')) { $l }
        }
        return ($lines -join [Environment]::NewLine)
    }

    function New-PcFailure($ErrorRecord, [string] $Prefix) {
        $target = $ErrorRecord.TargetObject
        if ($ErrorRecord.FullyQualifiedErrorId -eq 'PesterAssertionFailed' -and $target -is [hashtable]) {
            $file = $target.File; $line = [int] $target.Line; $lineText = $target.LineText
        }
        else {
            $info = $ErrorRecord.InvocationInfo
            $file = $info.ScriptName; $line = $info.ScriptLineNumber
            $lineText = if ($info.Line) { $info.Line.Trim() } else { $null }
        }
        $stack = Get-PcStackTrace $ErrorRecord
        if ($ErrorRecord.FullyQualifiedErrorId -ne 'PesterAssertionFailed' -and $stack) {
            # The innermost frame outside the runner is more precise than InvocationInfo, which can point at the
            # enclosing command (a Describe) or at the runner itself.
            $top = [regex]::Match(($stack -split '\r?\n')[0], '^at .*?, (?<file>.+): line (?<line>\d+)$')
            if ($top.Success -and ($top.Groups['file'].Value -ne $file -or [int] $top.Groups['line'].Value -ne $line)) {
                $file = $top.Groups['file'].Value
                $line = [int] $top.Groups['line'].Value
                $lineText = $null
                try { $lineText = [System.IO.File]::ReadAllLines($file)[$line - 1].Trim() } catch { }
            }
        }
        $message = $ErrorRecord.Exception.Message
        if ([string]::IsNullOrEmpty($message)) { $message = [string] $ErrorRecord }
        @{
            Message    = "$Prefix$message"
            File       = $file
            Line       = $line
            LineText   = $lineText
            StackTrace = $stack
        }
    }

    function Add-PcResult($Test, [string] $Outcome, $Failure, [double] $DurationMs, [string] $Message) {
        $result = [pscustomobject]@{
            FullName   = $Test.FullName
            Outcome    = $Outcome
            Message    = $Message
            File       = $Test.File
            Line       = $Test.Line
            LineText   = $null
            StackTrace = $null
            DurationMs = $DurationMs
        }
        if ($null -ne $Failure) {
            $result.Message = $Failure.Message
            if ($Failure.File) { $result.File = $Failure.File }
            if ($Failure.Line) { $result.Line = $Failure.Line }
            $result.LineText = $Failure.LineText
            $result.StackTrace = $Failure.StackTrace
        }
        $script:State.Results.Add($result)
    }

    function Invoke-PcTest($Test, $Context) {
        if ($Context.Skip -or $Test.Skip) { Add-PcResult $Test 'Skipped' $null 0 'is skipped'; return }
        if ($null -ne $Context.Failure) { Add-PcResult $Test 'Failed' $Context.Failure 0 $null; return }
        if ($null -eq $Test.Body) { Add-PcResult $Test 'Skipped' $null 0 'has no test body'; return }

        $state = @{ Test = $Test; Context = $Context; Error = $null }
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $script:State.Phase = 'Test'
        try {
            $null = & $script:UserScope {
                param($s)
                Set-PcData $s.Test.Data $s.Test.HasData
                try {
                    foreach ($sb in $s.Context.BeforeEach) { $null = . $sb }
                    $null = . $s.Test.Body
                }
                catch { $s.Error = $_ }
                foreach ($sb in $s.Context.AfterEach) {
                    try { $null = . $sb }
                    catch { if ($null -eq $s.Error) { $s.Error = $_ } }
                }
            } $state
        }
        catch { if ($null -eq $state.Error) { $state.Error = $_ } }
        finally { $script:State.Phase = 'Run' }
        $watch.Stop()

        $err = $state.Error
        if ($null -eq $err) { Add-PcResult $Test 'Passed' $null $watch.Elapsed.TotalMilliseconds $null }
        elseif ($err.FullyQualifiedErrorId -eq 'PesterCompat.Skipped') { Add-PcResult $Test 'Skipped' $null $watch.Elapsed.TotalMilliseconds $err.Exception.Message }
        else { Add-PcResult $Test 'Failed' (New-PcFailure $err '') $watch.Elapsed.TotalMilliseconds $null }
    }

    function Invoke-PcBlock($Block, $Context) {
        $null = & $script:UserScope {
            param($s)
            $b = $s.Block
            $ctx = $s.Context
            Set-PcData $b.Data $b.HasData

            $testDrive = $null
            if ($b.Kind -ne 'Context') {
                $testDrive = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'PesterCompat', [guid]::NewGuid().ToString('N'))
                $null = [System.IO.Directory]::CreateDirectory($testDrive)
                $script:UserSS.PSVariable.Set('TestDrive', $testDrive)
            }

            $failure = $ctx.Failure
            $skip = $ctx.Skip -or $b.Skip
            $runSetup = ($null -eq $failure) -and -not $skip -and (Test-PcRunnable $b)
            if ($runSetup) {
                try { foreach ($sb in $b.BeforeAll) { $null = . $sb } }
                catch { $failure = New-PcFailure $_ $(if ($b.Kind -eq 'Root') { 'BeforeAll (top of the file) failed: ' } else { "BeforeAll of '$($b.Name)' failed: " }) }
            }

            $beforeEach = [System.Collections.Generic.List[scriptblock]]::new()
            foreach ($sb in $ctx.BeforeEach) { $beforeEach.Add($sb) }
            foreach ($sb in $b.BeforeEach) { $beforeEach.Add($sb) }
            $afterEach = [System.Collections.Generic.List[scriptblock]]::new()
            foreach ($sb in $b.AfterEach) { $afterEach.Add($sb) }
            foreach ($sb in $ctx.AfterEach) { $afterEach.Add($sb) }
            $inner = @{ Failure = $failure; Skip = $skip; BeforeEach = $beforeEach; AfterEach = $afterEach }

            $first = $script:State.Results.Count
            foreach ($item in $b.Items) {
                if ($item.IsBlock) { Invoke-PcBlock $item $inner } else { Invoke-PcTest $item $inner }
            }

            if ($runSetup) {
                try { foreach ($sb in $b.AfterAll) { $null = . $sb } }
                catch {
                    $afterFailure = New-PcFailure $_ $(if ($b.Kind -eq 'Root') { 'AfterAll (top of the file) failed: ' } else { "AfterAll of '$($b.Name)' failed: " })
                    for ($i = $first; $i -lt $script:State.Results.Count; $i++) {
                        $r = $script:State.Results[$i]
                        if ($r.Outcome -eq 'Passed') {
                            $r.Outcome = 'Failed'; $r.Message = $afterFailure.Message; $r.File = $afterFailure.File
                            $r.Line = $afterFailure.Line; $r.LineText = $afterFailure.LineText; $r.StackTrace = $afterFailure.StackTrace
                        }
                    }
                }
            }

            if ($testDrive) {
                try { [System.IO.Directory]::Delete($testDrive, $true) } catch { }
            }
        } @{ Block = $Block; Context = $Context }
    }

    function Set-PcFullNames($Block, [string] $Prefix, $Names, $Seen) {
        foreach ($item in $Block.Items) {
            if ($item.IsBlock) {
                Set-PcFullNames $item "$Prefix$($item.Name) > " $Names $Seen
                continue
            }
            $name = "$Prefix$($item.Name)"
            if ($Seen.ContainsKey($name)) {
                $n = $Seen[$name] + 1
                $Seen[$name] = $n
                $name = "$name #$n"
            }
            else { $Seen[$name] = 1 }
            $item.FullName = $name
            $Names.Add($name)
        }
    }

    function Invoke-PesterCompat {
        [CmdletBinding()]
        param(
            [Parameter(Mandatory = $true)] [string] $Path,
            [switch] $DiscoveryOnly
        )
        $full = $script:UserSS.Path.GetUnresolvedProviderPathFromPSPath($Path)
        $root = New-PcBlock -Kind 'Root' -Name '' -Parent $null -Data $null -HasData $false -Skip $false -Line 0
        $script:State = @{ Phase = 'Discovery'; Root = $root; Current = $root; File = $full; Results = [System.Collections.Generic.List[object]]::new() }
        $names = [System.Collections.Generic.List[string]]::new()
        $discoveryError = $null
        try {
            try {
                if (-not [System.IO.File]::Exists($full)) { throw "Test file '$full' does not exist." }
                $null = & $script:UserRunFile $full
            }
            catch {
                $f = New-PcFailure $_ ''
                $where = if ($f.File) { "$($f.File):$($f.Line)" } else { $full }
                $discoveryError = "Discovery of '$full' failed: $($f.Message)$([Environment]::NewLine)at $where$(if ($f.LineText) { [Environment]::NewLine + '    ' + $f.LineText })$(if ($f.StackTrace) { [Environment]::NewLine + $f.StackTrace })"
            }
            Set-PcFullNames $root '' $names @{}
            if ($null -eq $discoveryError -and -not $DiscoveryOnly) {
                $script:State.Phase = 'Run'
                Invoke-PcBlock $root @{ Failure = $null; Skip = $false; BeforeEach = @(); AfterEach = @() }
            }
            [pscustomobject]@{
                File           = $full
                Tests          = $names.ToArray()
                DiscoveryError = $discoveryError
                Results        = $script:State.Results.ToArray()
            }
        }
        finally {
            $script:State = $null
        }
    }

    # ------------------------------------------------------------------ Should

    function Format-PcBecause([string] $Because) {
        if ([string]::IsNullOrWhiteSpace($Because)) { return '' }
        return " because $($Because.Trim() -replace '^because\s+'),"
    }

    function Format-PcTypeName([type] $Type) {
        if ($null -eq $Type) { return '$null' }
        # PowerShell's own conversion, which uses the accelerator names: [int], [string], [hashtable].
        return [string] $Type
    }

    function Format-PcNicely($Value, [int] $Depth = 0) {
        if ($null -eq $Value) { return '$null' }
        if ($Value -is [System.Management.Automation.PSObject] -and $Value.PSObject.BaseObject -isnot [System.Management.Automation.PSCustomObject]) { $Value = $Value.PSObject.BaseObject }
        if ($Value -is [bool]) { if ($Value) { return '$true' } else { return '$false' } }
        if ($Value -is [string] -or $Value -is [char]) { return "'$Value'" }
        if ($Value -is [type]) { return '[' + (Format-PcTypeName $Value) + ']' }
        if ($Value -is [datetime]) { return $Value.ToString('o', [System.Globalization.CultureInfo]::InvariantCulture) }
        if ($Value -is [scriptblock]) { return '{' + $Value + '}' }
        if ($Depth -ge 3) { return '...' }
        if ($Value -is [System.Collections.IDictionary]) {
            $pairs = foreach ($key in $Value.Keys) { "$key=$(Format-PcNicely $Value[$key] ($Depth + 1))" }
            return '@{' + ($pairs -join '; ') + '}'
        }
        if ($Value -is [System.Collections.IEnumerable]) {
            $items = [System.Collections.Generic.List[string]]::new()
            foreach ($item in $Value) {
                if ($items.Count -ge 20) { $items.Add('...'); break }
                $items.Add((Format-PcNicely $item ($Depth + 1)))
            }
            return '@(' + ($items -join ', ') + ')'
        }
        if ($Value.PSObject.BaseObject -is [System.Management.Automation.PSCustomObject]) {
            $pairs = foreach ($p in $Value.PSObject.Properties) { "$($p.Name)=$(Format-PcNicely $p.Value ($Depth + 1))" }
            return 'PSObject{' + ($pairs -join '; ') + '}'
        }
        return [string] $Value
    }

    function Join-PcAnd($Items) {
        $list = @($Items)
        if ($list.Count -lt 2) { return ($list -join ', ') }
        return ($list[0..($list.Count - 2)] -join ', ') + ' and ' + $list[-1]
    }

    function Get-PcUnwrapped($Value) {
        # Like Pester's $($value): a one-item array becomes the item, an empty one $null.
        if ($Value -is [object[]]) {
            if ($Value.Count -eq 0) { return $null }
            if ($Value.Count -eq 1) { return , $Value[0] }
        }
        return , $Value
    }

    function Test-PcNullOrEmptyArray($Value) {
        $array = @($Value)
        return ($array.Count -eq 0) -or ($array.Count -eq 1 -and $null -eq $array[0])
    }

    function Test-PcEqual($Actual, $Expected, [bool] $CaseSensitive, [int] $Depth = 0) {
        if ($Depth -gt 100) { throw 'Reached the recursion depth limit of 100 when comparing arrays. Is one of them cyclic?' }
        $first = @($Actual)
        $second = @($Expected)
        $firstEmpty = Test-PcNullOrEmptyArray $Actual
        $secondEmpty = Test-PcNullOrEmptyArray $Expected
        if ($firstEmpty -or $secondEmpty) { return $firstEmpty -and $secondEmpty }
        if ($first.Count -ne $second.Count) { return $false }
        for ($i = 0; $i -lt $first.Count; $i++) {
            if ($first[$i] -is [array] -or $second[$i] -is [array]) {
                if (-not (Test-PcEqual $first[$i] $second[$i] $CaseSensitive ($Depth + 1))) { return $false }
            }
            elseif ($CaseSensitive) { if (-not ($second[$i] -ceq $first[$i])) { return $false } }
            else { if (-not ($second[$i] -eq $first[$i])) { return $false } }
        }
        return $true
    }

    function Format-PcExcerpt([string] $Text, [int] $Index) {
        $shown = if ($Text.Length -ge 40) {
            $start = [Math]::Max(0, $Index - 5)
            $length = [Math]::Min(10, $Text.Length - $start)
            $(if ($start -gt 0) { '...' }) + $Text.Substring($start, $length) + $(if ($start + $length -lt $Text.Length) { '...' })
        }
        else { $Text }
        return $shown -replace "`n", '\n' -replace "`r", '\r' -replace "`t", '\t'
    }

    function Get-PcStringDifference([string] $Expected, [string] $Actual, [bool] $CaseSensitive, [string] $Because) {
        $max = [Math]::Max($Expected.Length, $Actual.Length)
        $index = $max
        $comparison = if ($CaseSensitive) { [StringComparison]::Ordinal } else { [StringComparison]::OrdinalIgnoreCase }
        for ($i = 0; $i -lt $max; $i++) {
            if ($i -ge $Expected.Length -or $i -ge $Actual.Length -or -not [string]::Equals([string] $Expected[$i], [string] $Actual[$i], $comparison)) { $index = $i; break }
        }
        $lines = [System.Collections.Generic.List[string]]::new()
        $lines.Add("Expected strings to be the same,$(Format-PcBecause $Because) but they were different.")
        if ($Expected.Length -ne $Actual.Length) {
            $lines.Add("Expected length: $($Expected.Length)")
            $lines.Add("Actual length:   $($Actual.Length)")
        }
        else { $lines.Add("String lengths are both $($Expected.Length).") }
        $lines.Add("Strings differ at index $index.")
        $lines.Add("Expected: '$(Format-PcExcerpt $Expected $index)'")
        $lines.Add("But was:  '$(Format-PcExcerpt $Actual $index)'")
        return ($lines -join "`n")
    }

    function New-PcShouldResult([bool] $Succeeded, [string] $Message, $Data) {
        @{ Succeeded = $Succeeded; Message = $Message; Data = $Data }
    }

    function Test-PcBe($Actual, $Expected, [bool] $Negate, [string] $Because, [bool] $CaseSensitive) {
        $ok = Test-PcEqual $Actual $Expected $CaseSensitive
        if ($Negate) {
            if (-not $ok) { return New-PcShouldResult $true }
            $same = if ($CaseSensitive) { 'exactly the same value' } else { 'the same value' }
            return New-PcShouldResult $false "Expected $(Format-PcNicely $Expected) to be different from the actual value,$(Format-PcBecause $Because) but got $same."
        }
        if ($ok) { return New-PcShouldResult $true }
        $a = Get-PcUnwrapped $Actual
        $e = Get-PcUnwrapped $Expected
        if ($a -is [string] -and $e -is [string]) { return New-PcShouldResult $false (Get-PcStringDifference $e $a $CaseSensitive $Because) }
        $exactly = if ($CaseSensitive) { 'exactly ' } else { '' }
        return New-PcShouldResult $false "Expected $exactly$(Format-PcNicely $e),$(Format-PcBecause $Because) but got $(Format-PcNicely $a)."
    }

    function Test-PcBeNullOrEmpty($Actual, [bool] $Negate, [string] $Because) {
        $array = @($Actual)
        if ($null -eq $Actual -or $array.Count -eq 0) { $ok = $true }
        elseif ($array.Count -eq 1) {
            $v = $array[0]
            if ($v -is [hashtable]) { $ok = $v.Count -eq 0 } else { $ok = [string]::IsNullOrEmpty($v) }
        }
        else { $ok = $false }
        if ($Negate) {
            if (-not $ok) { return New-PcShouldResult $true }
            return New-PcShouldResult $false "Expected a value,$(Format-PcBecause $Because) but got `$null or empty."
        }
        if ($ok) { return New-PcShouldResult $true }
        return New-PcShouldResult $false "Expected `$null or empty,$(Format-PcBecause $Because) but got $(Format-PcNicely (Get-PcUnwrapped $Actual))."
    }

    function Test-PcHaveCount($Actual, $Expected, [bool] $Negate, [string] $Because) {
        $expectedCount = [int] $Expected
        if ($expectedCount -lt 0) { throw [System.ArgumentException] 'Expected collection size must be greater than or equal to 0.' }
        $count = if ($null -eq $Actual) { 0 } else { @($Actual).Count }
        $ok = $count -eq $expectedCount
        if ($Negate) { $ok = -not $ok }
        if ($ok) { return New-PcShouldResult $true }
        if ($Negate) {
            $expect = if ($expectedCount -eq 0) { 'Expected a non-empty collection' } else { "Expected a collection with size different from $expectedCount" }
            $but = if ($count -ne 0) { "but got collection with that size $(Format-PcNicely $Actual)." } else { 'but got an empty collection.' }
        }
        else {
            $expect = if ($expectedCount -eq 0) { 'Expected an empty collection' } else { "Expected a collection with size $expectedCount" }
            $but = if ($count -ne 0) { "but got collection with size $count $(Format-PcNicely $Actual)." } else { 'but got an empty collection.' }
        }
        return New-PcShouldResult $false "$expect,$(Format-PcBecause $Because) $but"
    }

    function Resolve-PcType($Type) {
        if ($Type -is [type]) { return $Type }
        $parsed = ([string] $Type -replace '^\[(.*)\]$', '$1') -as [type]
        if ($null -eq $parsed) { throw [System.ArgumentException] "Could not find type [$Type]. Make sure that the assembly that contains that type is loaded." }
        return $parsed
    }

    function Test-PcBeOfType($Actual, $ExpectedType, [bool] $Negate, [string] $Because) {
        $type = Resolve-PcType $ExpectedType
        $ok = $Actual -is $type
        if ($Negate) { $ok = -not $ok }
        if ($ok) { return New-PcShouldResult $true }
        $actualType = if ($null -ne $Actual) { $Actual.GetType() } else { $null }
        $not = if ($Negate) { 'not ' } else { '' }
        return New-PcShouldResult $false "Expected the value to ${not}have type $(Format-PcNicely $type) or any of its subtypes,$(Format-PcBecause $Because) but got $(Format-PcNicely $Actual) with type $(Format-PcNicely $actualType)."
    }

    function Test-PcBool($Actual, [bool] $WantTrue, [string] $Because) {
        $ok = if ($WantTrue) { [bool] $Actual } else { -not $Actual }
        if ($ok) { return New-PcShouldResult $true }
        $want = if ($WantTrue) { '$true' } else { '$false' }
        return New-PcShouldResult $false "Expected $want,$(Format-PcBecause $Because) but got $(Format-PcNicely $Actual)."
    }

    function Test-PcContain($Actual, $Expected, [bool] $Negate, [string] $Because) {
        $ok = $Actual -contains $Expected
        if ($Negate) {
            if (-not $ok) { return New-PcShouldResult $true }
            return New-PcShouldResult $false "Expected $(Format-PcNicely $Expected) to not be found in collection $(Format-PcNicely $Actual),$(Format-PcBecause $Because) but it was found."
        }
        if ($ok) { return New-PcShouldResult $true }
        return New-PcShouldResult $false "Expected $(Format-PcNicely $Expected) to be found in collection $(Format-PcNicely $Actual),$(Format-PcBecause $Because) but it was not found."
    }

    function Test-PcBeIn($Actual, $Expected, [bool] $Negate, [string] $Because) {
        $ok = $Expected -contains $Actual
        if ($Negate) {
            if (-not $ok) { return New-PcShouldResult $true }
            return New-PcShouldResult $false "Expected collection $(Format-PcNicely $Expected) to not contain $(Format-PcNicely $Actual),$(Format-PcBecause $Because) but it was found."
        }
        if ($ok) { return New-PcShouldResult $true }
        return New-PcShouldResult $false "Expected collection $(Format-PcNicely $Expected) to contain $(Format-PcNicely $Actual),$(Format-PcBecause $Because) but it was not found."
    }

    function Test-PcMatch($Actual, [string] $Pattern, [bool] $Negate, [string] $Because, [bool] $CaseSensitive, [bool] $Like) {
        $ok = if ($Like) { if ($CaseSensitive) { $Actual -clike $Pattern } else { $Actual -like $Pattern } }
        else { if ($CaseSensitive) { $Actual -cmatch $Pattern } else { $Actual -match $Pattern } }
        $what = if ($Like) { if ($CaseSensitive) { 'case sensitive like wildcard' } else { 'like wildcard' } } else { 'regular expression' }
        $exactly = if ($CaseSensitive -and -not $Like) { ' case sensitively' } else { '' }
        if ($Negate) {
            if (-not $ok) { return New-PcShouldResult $true }
            return New-PcShouldResult $false "Expected $what $(Format-PcNicely $Pattern) to not match$exactly $(Format-PcNicely $Actual),$(Format-PcBecause $Because) but it did match."
        }
        if ($ok) { return New-PcShouldResult $true }
        return New-PcShouldResult $false "Expected $what $(Format-PcNicely $Pattern) to match$exactly $(Format-PcNicely $Actual),$(Format-PcBecause $Because) but it did not match."
    }

    function Test-PcCompare($Actual, $Expected, [string] $Op, [bool] $Negate, [string] $Because) {
        if ($Negate) {
            $Op = @{ gt = 'le'; le = 'gt'; lt = 'ge'; ge = 'lt' }[$Op]
        }
        $ok = switch ($Op) {
            'gt' { $Actual -gt $Expected }
            'lt' { $Actual -lt $Expected }
            'ge' { $Actual -ge $Expected }
            'le' { $Actual -le $Expected }
        }
        if ($ok) { return New-PcShouldResult $true }
        $text = @{ gt = 'greater than'; lt = 'less than'; ge = 'greater than or equal to'; le = 'less than or equal to' }[$Op]
        return New-PcShouldResult $false "Expected the actual value to be $text $(Format-PcNicely $Expected),$(Format-PcBecause $Because) but got $(Format-PcNicely $Actual)."
    }

    function Test-PcExist($Actual, [bool] $Negate, [string] $Because) {
        $exists = $false
        if (-not [string]::IsNullOrEmpty([string] $Actual)) {
            try {
                $resolved = $script:UserSS.Path.GetUnresolvedProviderPathFromPSPath([string] $Actual)
                $exists = [System.IO.File]::Exists($resolved) -or [System.IO.Directory]::Exists($resolved)
            }
            catch { $exists = $false }
        }
        if ($Negate) {
            if (-not $exists) { return New-PcShouldResult $true }
            return New-PcShouldResult $false "Expected path $(Format-PcNicely $Actual) to not exist,$(Format-PcBecause $Because) but it did exist."
        }
        if ($exists) { return New-PcShouldResult $true }
        return New-PcShouldResult $false "Expected path $(Format-PcNicely $Actual) to exist,$(Format-PcBecause $Because) but it did not exist."
    }

    function Test-PcThrow($Actual, [string] $ExpectedMessage, [string] $ErrorId, [type] $ExceptionType, [bool] $Negate, [string] $Because, [bool] $PassThru) {
        if ($null -eq $Actual -or $Actual -isnot [scriptblock]) {
            throw [System.ArgumentException] "Input is missing or not a ScriptBlock. Input to '-Throw' and '-Not -Throw' must be enclosed in curly braces."
        }
        $thrown = $false
        $record = $null
        try { $null = & $Actual }
        catch { $thrown = $true; $record = $_ }

        $from = ''
        if ($thrown -and $record.FullyQualifiedErrorId -eq 'PesterAssertionFailed' -and $record.TargetObject -is [hashtable]) {
            $from = "from $($record.TargetObject.File):$($record.TargetObject.Line)"
        }
        elseif ($thrown -and $record.InvocationInfo -and $record.InvocationInfo.ScriptName) {
            $from = "from $($record.InvocationInfo.ScriptName):$($record.InvocationInfo.ScriptLineNumber) char:$($record.InvocationInfo.OffsetInLine)"
        }
        if ($Negate) {
            if (-not $thrown) { return New-PcShouldResult $true }
            return New-PcShouldResult $false "Expected no exception to be thrown,$(Format-PcBecause $Because) but an exception `"$($record.Exception.Message)`" was thrown$(if ($from) { " $from" })."
        }

        $filters = [System.Collections.Generic.List[string]]::new()
        $buts = [System.Collections.Generic.List[string]]::new()
        if ($null -ne $ExceptionType) {
            $filters.Add("type $(Format-PcNicely $ExceptionType)")
            if ($thrown -and $record.Exception -isnot $ExceptionType) { $buts.Add("the exception type was $(Format-PcNicely $record.Exception.GetType())") }
        }
        if (-not [string]::IsNullOrWhiteSpace($ExpectedMessage)) {
            $filters.Add("message like $(Format-PcNicely ([System.Management.Automation.WildcardPattern]::Unescape($ExpectedMessage)))")
            if ($thrown -and -not ([string] $record.Exception.Message -like $ExpectedMessage)) { $buts.Add("the message was $(Format-PcNicely $record.Exception.Message)") }
        }
        if (-not [string]::IsNullOrWhiteSpace($ErrorId)) {
            $filters.Add("FullyQualifiedErrorId $(Format-PcNicely $ErrorId)")
            if ($thrown -and -not ([string] $record.FullyQualifiedErrorId -like $ErrorId)) { $buts.Add("the FullyQualifiedErrorId was $(Format-PcNicely $record.FullyQualifiedErrorId)") }
        }
        if (-not $thrown) { $buts.Add('no exception was thrown') }
        if ($buts.Count -gt 0) {
            $with = if ($filters.Count -gt 0) { " with $(Join-PcAnd $filters)" } else { '' }
            return New-PcShouldResult $false "Expected an exception$with to be thrown,$(Format-PcBecause $Because) but $(Join-PcAnd $buts). $from".Trim()
        }
        $data = if ($PassThru) { $record } else { $null }
        return New-PcShouldResult $true $null $data
    }

    function Test-PcHaveParameter($Actual, [string] $ParameterName, $Type, $Mandatory, [bool] $Negate, [string] $Because) {
        if ($null -eq $Actual -or $Actual -isnot [System.Management.Automation.CommandInfo]) {
            throw 'Input value must be non-null CommandInfo object. You can get one by calling Get-Command.'
        }
        if ([string]::IsNullOrEmpty($ParameterName)) { throw "The ParameterName can't be empty" }
        if ($null -ne $Type) { $Type = Resolve-PcType $Type }

        $filters = [System.Collections.Generic.List[string]]::new()
        $buts = [System.Collections.Generic.List[string]]::new()
        $hasKey = $Actual.Parameters.ContainsKey($ParameterName)
        $filters.Add("to$(if ($Negate) { ' not' }) have a parameter $ParameterName")
        if (-not $Negate -and -not $hasKey) { $buts.Add('the parameter is missing') }
        elseif ($Negate -and -not $hasKey) { return New-PcShouldResult $true }
        elseif ($Negate -and $hasKey -and -not ($null -ne $Mandatory -or $null -ne $Type)) { $buts.Add('the parameter exists') }
        else {
            $parameter = $Actual.Parameters[$ParameterName]
            if ($null -ne $Mandatory) {
                $isMandatory = $false
                foreach ($attribute in $parameter.Attributes) {
                    if ($attribute -is [System.Management.Automation.ParameterAttribute] -and $attribute.Mandatory) { $isMandatory = $true }
                }
                $filters.Add("which is$(if ($Negate -or -not $Mandatory) { ' not' }) mandatory")
                if ($Negate) { if ($Mandatory -and $isMandatory) { $buts.Add('it was mandatory') } }
                elseif ($Mandatory -and -not $isMandatory) { $buts.Add("it wasn't mandatory") }
                elseif (-not $Mandatory -and $isMandatory) { $buts.Add('it was mandatory') }
            }
            if ($null -ne $Type) {
                $actualType = $parameter.ParameterType
                $same = $Type -eq $actualType
                $filters.Add("$(if ($Negate) { 'not ' })of type [$($Type.FullName)]")
                if (-not $Negate -and -not $same) { $buts.Add("it was of type [$($actualType.FullName)]") }
                elseif ($Negate -and $same) { $buts.Add("it was of type [$($Type.FullName)]") }
            }
        }
        if ($buts.Count -eq 0) { return New-PcShouldResult $true }
        $filterText = if ($filters.Count -lt 3) { $filters -join ', ' } else { Join-PcAnd $filters }
        return New-PcShouldResult $false "Expected command $($Actual.Name) $filterText,$(Format-PcBecause $Because) but $(Join-PcAnd $buts)."
    }

    $script:ShouldOperators = @(
        'Be', 'BeExactly', 'BeNullOrEmpty', 'HaveCount', 'BeOfType', 'BeTrue', 'BeFalse', 'Contain', 'Match', 'MatchExactly',
        'BeLike', 'BeLikeExactly', 'BeGreaterThan', 'BeLessThan', 'BeGreaterOrEqual', 'BeLessOrEqual', 'Exist', 'Throw', 'BeIn', 'HaveParameter')
    $script:ArrayInputOperators = @('Be', 'BeExactly', 'BeNullOrEmpty', 'HaveCount', 'Contain')

    function Should {
        [CmdletBinding()]
        param(
            [Parameter(ValueFromPipeline = $true)] [AllowNull()] [object] $ActualValue,
            [Parameter(Position = 0)] [AllowNull()] [object] $ExpectedValue,
            [switch] $Not,
            [Alias('EQ')] [switch] $Be,
            [Alias('CEQ')] [switch] $BeExactly,
            [switch] $BeNullOrEmpty,
            [switch] $HaveCount,
            [Alias('HaveType')] [switch] $BeOfType,
            [switch] $BeTrue,
            [switch] $BeFalse,
            [switch] $Contain,
            [switch] $Match,
            [Alias('CMATCH')] [switch] $MatchExactly,
            [switch] $BeLike,
            [switch] $BeLikeExactly,
            [Alias('GT')] [switch] $BeGreaterThan,
            [Alias('LT')] [switch] $BeLessThan,
            [Alias('GE')] [switch] $BeGreaterOrEqual,
            [Alias('LE')] [switch] $BeLessOrEqual,
            [switch] $Exist,
            [switch] $Throw,
            [switch] $BeIn,
            [switch] $HaveParameter,
            [object] $ExpectedType,
            [string] $RegularExpression,
            [string] $ExpectedMessage,
            [string] $ErrorId,
            [type] $ExceptionType,
            [switch] $PassThru,
            [string] $ParameterName,
            [object] $Type,
            [switch] $Mandatory,
            [string] $Because
        )
        begin {
            $inputArray = [System.Collections.Generic.List[object]]::new()
        }
        process {
            $inputArray.Add($ActualValue)
        }
        end {
            $operators = @(foreach ($op in $script:ShouldOperators) { if ($PSBoundParameters.ContainsKey($op) -and $PSBoundParameters[$op]) { $op } })
            if ($operators.Count -eq 0) { throw 'Should: no operator given; use e.g. Should -Be 3 (PesterCompat supports: ' + ($script:ShouldOperators -join ', ') + ').' }
            if ($operators.Count -gt 1) { throw "Should: only one operator at a time, got -$($operators -join ', -')." }
            $operator = $operators[0]
            $negate = $Not.IsPresent
            $hasExpected = $PSBoundParameters.ContainsKey('ExpectedValue')

            $values = if ($inputArray.Count -eq 0) { , @(, $null) }
            elseif ($script:ArrayInputOperators -contains $operator) { , @(, $inputArray.ToArray()) }
            else { , $inputArray.ToArray() }

            foreach ($value in $values) {
                $result = switch ($operator) {
                    'Be' { Test-PcBe $value $ExpectedValue $negate $Because $false }
                    'BeExactly' { Test-PcBe $value $ExpectedValue $negate $Because $true }
                    'BeNullOrEmpty' { Test-PcBeNullOrEmpty $value $negate $Because }
                    'HaveCount' { Test-PcHaveCount $value $ExpectedValue $negate $Because }
                    'BeOfType' { Test-PcBeOfType $value $(if ($PSBoundParameters.ContainsKey('ExpectedType')) { $ExpectedType } else { $ExpectedValue }) $negate $Because }
                    'BeTrue' { Test-PcBool $value (-not $negate) $Because }
                    'BeFalse' { Test-PcBool $value $negate $Because }
                    'Contain' { Test-PcContain $value $ExpectedValue $negate $Because }
                    'BeIn' { Test-PcBeIn $value $ExpectedValue $negate $Because }
                    'Match' { Test-PcMatch $value $(if ($PSBoundParameters.ContainsKey('RegularExpression')) { $RegularExpression } else { $ExpectedValue }) $negate $Because $false $false }
                    'MatchExactly' { Test-PcMatch $value $(if ($PSBoundParameters.ContainsKey('RegularExpression')) { $RegularExpression } else { $ExpectedValue }) $negate $Because $true $false }
                    'BeLike' { Test-PcMatch $value $ExpectedValue $negate $Because $false $true }
                    'BeLikeExactly' { Test-PcMatch $value $ExpectedValue $negate $Because $true $true }
                    'BeGreaterThan' { Test-PcCompare $value $ExpectedValue 'gt' $negate $Because }
                    'BeLessThan' { Test-PcCompare $value $ExpectedValue 'lt' $negate $Because }
                    'BeGreaterOrEqual' { Test-PcCompare $value $ExpectedValue 'ge' $negate $Because }
                    'BeLessOrEqual' { Test-PcCompare $value $ExpectedValue 'le' $negate $Because }
                    'Exist' { Test-PcExist $value $negate $Because }
                    'Throw' {
                        $message = if ($PSBoundParameters.ContainsKey('ExpectedMessage')) { $ExpectedMessage } elseif ($hasExpected) { [string] $ExpectedValue } else { $null }
                        Test-PcThrow $value $message $ErrorId $ExceptionType $negate $Because $PassThru.IsPresent
                    }
                    'HaveParameter' {
                        $name = if ($PSBoundParameters.ContainsKey('ParameterName')) { $ParameterName } else { [string] $ExpectedValue }
                        $mandatoryArg = if ($PSBoundParameters.ContainsKey('Mandatory')) { $Mandatory.IsPresent } else { $null }
                        Test-PcHaveParameter $value $name $Type $mandatoryArg $negate $Because
                    }
                }
                if (-not $result.Succeeded) {
                    $target = @{
                        Message     = $result.Message
                        File        = $MyInvocation.ScriptName
                        Line        = $MyInvocation.ScriptLineNumber
                        LineText    = $(if ($MyInvocation.Line) { $MyInvocation.Line.Trim() } else { $null })
                        Terminating = $true
                    }
                    throw [System.Management.Automation.ErrorRecord]::new([System.Exception]::new($result.Message), 'PesterAssertionFailed', [System.Management.Automation.ErrorCategory]::InvalidResult, $target)
                }
                if ($null -ne $result.Data) { $result.Data }
            }
        }
    }

    Export-ModuleMember -Function Describe, Context, It, BeforeAll, AfterAll, BeforeEach, AfterEach, BeforeDiscovery, Set-ItResult, Should, Invoke-PesterCompat
} | Import-Module -PassThru

# The module's script blocks come from this file: used to drop the runner's own frames from stack traces.
$null = & (Get-Module PesterCompat) { param($file) $script:CompatFile = $file } $PSCommandPath
$ExecutionContext.SessionState.PSVariable.Remove('__PesterCompatScope')
$ExecutionContext.SessionState.PSVariable.Remove('__PesterCompatRunFile')
$ExecutionContext.SessionState.PSVariable.Remove('__PesterCompatSessionState')
