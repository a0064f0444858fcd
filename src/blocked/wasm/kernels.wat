;; The dense update of a target supernode by a descendant (src/blocked/kernels.ts
;; `updateFromDescendant`), with 128-bit SIMD: dot products over a descendant's rows, two f64 lanes,
;; 2 × 2 blocks of (row a, row b). Compiled to src/blocked/wasm/kernels.ts by scripts/build-wasm.ts
;; (wabt from npm). Addresses are byte offsets into the exported memory.
(module
  (memory (export "memory") 1)

  ;; x0·y0, x0·y1, x1·y0, x1·y1 over n doubles.
  (func $dot22 (param $x0 i32) (param $x1 i32) (param $y0 i32) (param $y1 i32) (param $n i32)
    (result f64 f64 f64 f64)
    (local $k i32) (local $end i32)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128)
    (local $r00 f64) (local $r01 f64) (local $r10 f64) (local $r11 f64)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
        (local.set $a0 (v128.load (i32.add (local.get $x0) (local.get $k))))
        (local.set $a1 (v128.load (i32.add (local.get $x1) (local.get $k))))
        (local.set $b0 (v128.load (i32.add (local.get $y0) (local.get $k))))
        (local.set $b1 (v128.load (i32.add (local.get $y1) (local.get $k))))
        (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $a0) (local.get $b0))))
        (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $a0) (local.get $b1))))
        (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $a1) (local.get $b0))))
        (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $a1) (local.get $b1))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $next)))
    (local.set $r00 (f64.add (f64x2.extract_lane 0 (local.get $s00)) (f64x2.extract_lane 1 (local.get $s00))))
    (local.set $r01 (f64.add (f64x2.extract_lane 0 (local.get $s01)) (f64x2.extract_lane 1 (local.get $s01))))
    (local.set $r10 (f64.add (f64x2.extract_lane 0 (local.get $s10)) (f64x2.extract_lane 1 (local.get $s10))))
    (local.set $r11 (f64.add (f64x2.extract_lane 0 (local.get $s11)) (f64x2.extract_lane 1 (local.get $s11))))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (local.set $r00 (f64.add (local.get $r00) (f64.mul (f64.load (i32.add (local.get $x0) (local.get $end))) (f64.load (i32.add (local.get $y0) (local.get $end))))))
        (local.set $r01 (f64.add (local.get $r01) (f64.mul (f64.load (i32.add (local.get $x0) (local.get $end))) (f64.load (i32.add (local.get $y1) (local.get $end))))))
        (local.set $r10 (f64.add (local.get $r10) (f64.mul (f64.load (i32.add (local.get $x1) (local.get $end))) (f64.load (i32.add (local.get $y0) (local.get $end))))))
        (local.set $r11 (f64.add (local.get $r11) (f64.mul (f64.load (i32.add (local.get $x1) (local.get $end))) (f64.load (i32.add (local.get $y1) (local.get $end))))))))
    (local.get $r00) (local.get $r01) (local.get $r10) (local.get $r11))

  ;; mem[at] -= v
  (func $sub (param $at i32) (param $v f64)
    (f64.store (local.get $at) (f64.sub (f64.load (local.get $at)) (local.get $v))))

  ;; T[rel[a-i1], col[b-i1]] -= L_d[a,:]·L_d[b,:] for i1 ≤ b < i2, b ≤ a < iEnd.
  ;; d, t: byte addresses of the descendant's and the target's blocks; rel, col: of the int32 maps.
  (func (export "update") (param $d i32) (param $wd i32) (param $i1 i32) (param $i2 i32) (param $iEnd i32)
    (param $t i32) (param $wt i32) (param $rel i32) (param $col i32)
    (local $b i32) (local $a i32) (local $rb0 i32) (local $rb1 i32) (local $ra0 i32) (local $ra1 i32)
    (local $cb0 i32) (local $cb1 i32) (local $t0 i32) (local $t1 i32) (local $row i32) (local $wt8 i32)
    (local $s00 f64) (local $s01 f64) (local $s10 f64) (local $s11 f64)
    (local.set $row (i32.shl (local.get $wd) (i32.const 3)))
    (local.set $wt8 (i32.shl (local.get $wt) (i32.const 3)))
    (local.set $b (local.get $i1))
    (block $bdone
      (loop $bnext
        (br_if $bdone (i32.ge_s (i32.add (local.get $b) (i32.const 1)) (local.get $i2)))
        (local.set $rb0 (i32.add (local.get $d) (i32.mul (local.get $b) (local.get $row))))
        (local.set $rb1 (i32.add (local.get $rb0) (local.get $row)))
        (local.set $cb0 (i32.add (local.get $t) (i32.shl (i32.load (i32.add (local.get $col) (i32.shl (i32.sub (local.get $b) (local.get $i1)) (i32.const 2)))) (i32.const 3))))
        (local.set $cb1 (i32.add (local.get $t) (i32.shl (i32.load (i32.add (local.get $col) (i32.shl (i32.sub (i32.add (local.get $b) (i32.const 1)) (local.get $i1)) (i32.const 2)))) (i32.const 3))))
        ;; rows (b, b+1) against themselves
        (call $dot22 (local.get $rb0) (local.get $rb1) (local.get $rb0) (local.get $rb1) (local.get $wd))
        (local.set $s11) (local.set $s10) (local.set $s01) (local.set $s00)
        (local.set $t0 (i32.mul (i32.load (i32.add (local.get $rel) (i32.shl (i32.sub (local.get $b) (local.get $i1)) (i32.const 2)))) (local.get $wt8)))
        (local.set $t1 (i32.mul (i32.load (i32.add (local.get $rel) (i32.shl (i32.sub (i32.add (local.get $b) (i32.const 1)) (local.get $i1)) (i32.const 2)))) (local.get $wt8)))
        (call $sub (i32.add (local.get $cb0) (local.get $t0)) (local.get $s00))
        (call $sub (i32.add (local.get $cb0) (local.get $t1)) (local.get $s10))
        (call $sub (i32.add (local.get $cb1) (local.get $t1)) (local.get $s11))
        (local.set $a (i32.add (local.get $b) (i32.const 2)))
        (block $adone
          (loop $anext
            (br_if $adone (i32.ge_s (local.get $a) (local.get $iEnd)))
            (local.set $ra0 (i32.add (local.get $d) (i32.mul (local.get $a) (local.get $row))))
            ;; a single last row reuses the pair kernel with row a twice
            (local.set $ra1 (select (i32.add (local.get $ra0) (local.get $row)) (local.get $ra0)
              (i32.lt_s (i32.add (local.get $a) (i32.const 1)) (local.get $iEnd))))
            (call $dot22 (local.get $ra0) (local.get $ra1) (local.get $rb0) (local.get $rb1) (local.get $wd))
            (local.set $s11) (local.set $s10) (local.set $s01) (local.set $s00)
            (local.set $t0 (i32.mul (i32.load (i32.add (local.get $rel) (i32.shl (i32.sub (local.get $a) (local.get $i1)) (i32.const 2)))) (local.get $wt8)))
            (call $sub (i32.add (local.get $cb0) (local.get $t0)) (local.get $s00))
            (call $sub (i32.add (local.get $cb1) (local.get $t0)) (local.get $s01))
            (if (i32.lt_s (i32.add (local.get $a) (i32.const 1)) (local.get $iEnd))
              (then
                (local.set $t1 (i32.mul (i32.load (i32.add (local.get $rel) (i32.shl (i32.sub (i32.add (local.get $a) (i32.const 1)) (local.get $i1)) (i32.const 2)))) (local.get $wt8)))
                (call $sub (i32.add (local.get $cb0) (local.get $t1)) (local.get $s10))
                (call $sub (i32.add (local.get $cb1) (local.get $t1)) (local.get $s11))))
            (local.set $a (i32.add (local.get $a) (i32.const 2)))
            (br $anext)))
        (local.set $b (i32.add (local.get $b) (i32.const 2)))
        (br $bnext)))
    ;; a last single column b: rows a ≥ b, two at a time (the pair kernel with column b twice)
    (if (i32.lt_s (local.get $b) (local.get $i2))
      (then
        (local.set $rb0 (i32.add (local.get $d) (i32.mul (local.get $b) (local.get $row))))
        (local.set $cb0 (i32.add (local.get $t) (i32.shl (i32.load (i32.add (local.get $col) (i32.shl (i32.sub (local.get $b) (local.get $i1)) (i32.const 2)))) (i32.const 3))))
        (local.set $a (local.get $b))
        (block $adone2
          (loop $anext2
            (br_if $adone2 (i32.ge_s (local.get $a) (local.get $iEnd)))
            (local.set $ra0 (i32.add (local.get $d) (i32.mul (local.get $a) (local.get $row))))
            (local.set $ra1 (select (i32.add (local.get $ra0) (local.get $row)) (local.get $ra0)
              (i32.lt_s (i32.add (local.get $a) (i32.const 1)) (local.get $iEnd))))
            (call $dot22 (local.get $ra0) (local.get $ra1) (local.get $rb0) (local.get $rb0) (local.get $wd))
            (local.set $s11) (local.set $s10) (local.set $s01) (local.set $s00)
            (local.set $t0 (i32.mul (i32.load (i32.add (local.get $rel) (i32.shl (i32.sub (local.get $a) (local.get $i1)) (i32.const 2)))) (local.get $wt8)))
            (call $sub (i32.add (local.get $cb0) (local.get $t0)) (local.get $s00))
            (if (i32.lt_s (i32.add (local.get $a) (i32.const 1)) (local.get $iEnd))
              (then
                (local.set $t1 (i32.mul (i32.load (i32.add (local.get $rel) (i32.shl (i32.sub (i32.add (local.get $a) (i32.const 1)) (local.get $i1)) (i32.const 2)))) (local.get $wt8)))
                (call $sub (i32.add (local.get $cb0) (local.get $t1)) (local.get $s10))))
            (local.set $a (i32.add (local.get $a) (i32.const 2)))
            (br $anext2)))))))
