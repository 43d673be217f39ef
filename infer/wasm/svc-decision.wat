;; The SVC decision function's hot loops: RBF kernel values of one scaled row against every support
;; vector (eight vectors per step), and the one-vs-one sums over those values.
;; Built into svc-decision-wasm.ts by `npm run build:wasm` (scripts/build-wasm.ts); this file is the source.
;;
;; Memory layout (all f64): support vectors feature-major, sv[f * stride + s] with stride a multiple
;; of 8, so one v128 load fetches feature f of two neighbouring vectors.
;; Distances are summed left to right from 0, exactly as libsvm's k_function does; only exp differs
;; from libm, by at most a few ulp (see svc-decision-wasm.test.ts).
(module
  (memory (export "memory") 1)

  ;; exp(y) for y <= 0 on four pairs of lanes at once, stored at out .. out+48. The polynomial is a chain
  ;; of 13 dependent multiply-adds; four independent chains keep the multiplier busy instead of waiting.
  ;; y = k ln2 + r with |r| <= ln2/2; exp(r) by its Taylor series to degree 13 (truncation below 5e-18
  ;; relative); 2^k is built in the exponent bits. Below -708 the result would be subnormal and is stored
  ;; as 0: such a kernel value cannot move a decision.
  (func $exp_store (param $ya v128) (param $yb v128) (param $yc v128) (param $yd v128) (param $out i32)
    (local $kda v128) (local $ka v128) (local $ra v128) (local $pa v128) (local $kdb v128) (local $kb v128) (local $rb v128) (local $pb v128) (local $kdc v128) (local $kc v128) (local $rc v128) (local $pc v128) (local $kdd v128) (local $kd v128) (local $rd v128) (local $pd v128)
    ;; k = round(y / ln2) by adding 1.5 * 2^52: the sum's low mantissa bits then hold k.
    (local.set $kda (f64x2.add (f64x2.mul (local.get $ya) (v128.const f64x2 1.4426950408889634 1.4426950408889634)) (v128.const f64x2 6755399441055744.0 6755399441055744.0)))
    (local.set $ka (f64x2.sub (local.get $kda) (v128.const f64x2 6755399441055744.0 6755399441055744.0)))
    (local.set $kdb (f64x2.add (f64x2.mul (local.get $yb) (v128.const f64x2 1.4426950408889634 1.4426950408889634)) (v128.const f64x2 6755399441055744.0 6755399441055744.0)))
    (local.set $kb (f64x2.sub (local.get $kdb) (v128.const f64x2 6755399441055744.0 6755399441055744.0)))
    (local.set $kdc (f64x2.add (f64x2.mul (local.get $yc) (v128.const f64x2 1.4426950408889634 1.4426950408889634)) (v128.const f64x2 6755399441055744.0 6755399441055744.0)))
    (local.set $kc (f64x2.sub (local.get $kdc) (v128.const f64x2 6755399441055744.0 6755399441055744.0)))
    (local.set $kdd (f64x2.add (f64x2.mul (local.get $yd) (v128.const f64x2 1.4426950408889634 1.4426950408889634)) (v128.const f64x2 6755399441055744.0 6755399441055744.0)))
    (local.set $kd (f64x2.sub (local.get $kdd) (v128.const f64x2 6755399441055744.0 6755399441055744.0)))
    ;; r = y - k ln2 with ln2 split as fdlibm does (ln2_hi has 32 trailing zero bits: k * ln2_hi is exact).
    (local.set $ra (f64x2.sub (f64x2.sub (local.get $ya) (f64x2.mul (local.get $ka) (v128.const f64x2 0.6931471803691238 0.6931471803691238)))
                              (f64x2.mul (local.get $ka) (v128.const f64x2 1.9082149292705877e-10 1.9082149292705877e-10))))
    (local.set $rb (f64x2.sub (f64x2.sub (local.get $yb) (f64x2.mul (local.get $kb) (v128.const f64x2 0.6931471803691238 0.6931471803691238)))
                              (f64x2.mul (local.get $kb) (v128.const f64x2 1.9082149292705877e-10 1.9082149292705877e-10))))
    (local.set $rc (f64x2.sub (f64x2.sub (local.get $yc) (f64x2.mul (local.get $kc) (v128.const f64x2 0.6931471803691238 0.6931471803691238)))
                              (f64x2.mul (local.get $kc) (v128.const f64x2 1.9082149292705877e-10 1.9082149292705877e-10))))
    (local.set $rd (f64x2.sub (f64x2.sub (local.get $yd) (f64x2.mul (local.get $kd) (v128.const f64x2 0.6931471803691238 0.6931471803691238)))
                              (f64x2.mul (local.get $kd) (v128.const f64x2 1.9082149292705877e-10 1.9082149292705877e-10))))
    ;; Horner from 1/13! down to 1/0!.
    (local.set $pa (v128.const f64x2 1.6059043836821613e-10 1.6059043836821613e-10))
    (local.set $pb (v128.const f64x2 1.6059043836821613e-10 1.6059043836821613e-10))
    (local.set $pc (v128.const f64x2 1.6059043836821613e-10 1.6059043836821613e-10))
    (local.set $pd (v128.const f64x2 1.6059043836821613e-10 1.6059043836821613e-10))
    (local.set $pa (f64x2.add (f64x2.mul (local.get $pa) (local.get $ra)) (v128.const f64x2 2.08767569878681e-09 2.08767569878681e-09)))
    (local.set $pb (f64x2.add (f64x2.mul (local.get $pb) (local.get $rb)) (v128.const f64x2 2.08767569878681e-09 2.08767569878681e-09)))
    (local.set $pc (f64x2.add (f64x2.mul (local.get $pc) (local.get $rc)) (v128.const f64x2 2.08767569878681e-09 2.08767569878681e-09)))
    (local.set $pd (f64x2.add (f64x2.mul (local.get $pd) (local.get $rd)) (v128.const f64x2 2.08767569878681e-09 2.08767569878681e-09)))
    (local.set $pa (f64x2.add (f64x2.mul (local.get $pa) (local.get $ra)) (v128.const f64x2 2.505210838544172e-08 2.505210838544172e-08)))
    (local.set $pb (f64x2.add (f64x2.mul (local.get $pb) (local.get $rb)) (v128.const f64x2 2.505210838544172e-08 2.505210838544172e-08)))
    (local.set $pc (f64x2.add (f64x2.mul (local.get $pc) (local.get $rc)) (v128.const f64x2 2.505210838544172e-08 2.505210838544172e-08)))
    (local.set $pd (f64x2.add (f64x2.mul (local.get $pd) (local.get $rd)) (v128.const f64x2 2.505210838544172e-08 2.505210838544172e-08)))
    (local.set $pa (f64x2.add (f64x2.mul (local.get $pa) (local.get $ra)) (v128.const f64x2 2.755731922398589e-07 2.755731922398589e-07)))
    (local.set $pb (f64x2.add (f64x2.mul (local.get $pb) (local.get $rb)) (v128.const f64x2 2.755731922398589e-07 2.755731922398589e-07)))
    (local.set $pc (f64x2.add (f64x2.mul (local.get $pc) (local.get $rc)) (v128.const f64x2 2.755731922398589e-07 2.755731922398589e-07)))
    (local.set $pd (f64x2.add (f64x2.mul (local.get $pd) (local.get $rd)) (v128.const f64x2 2.755731922398589e-07 2.755731922398589e-07)))
    (local.set $pa (f64x2.add (f64x2.mul (local.get $pa) (local.get $ra)) (v128.const f64x2 2.7557319223985893e-06 2.7557319223985893e-06)))
    (local.set $pb (f64x2.add (f64x2.mul (local.get $pb) (local.get $rb)) (v128.const f64x2 2.7557319223985893e-06 2.7557319223985893e-06)))
    (local.set $pc (f64x2.add (f64x2.mul (local.get $pc) (local.get $rc)) (v128.const f64x2 2.7557319223985893e-06 2.7557319223985893e-06)))
    (local.set $pd (f64x2.add (f64x2.mul (local.get $pd) (local.get $rd)) (v128.const f64x2 2.7557319223985893e-06 2.7557319223985893e-06)))
    (local.set $pa (f64x2.add (f64x2.mul (local.get $pa) (local.get $ra)) (v128.const f64x2 2.48015873015873e-05 2.48015873015873e-05)))
    (local.set $pb (f64x2.add (f64x2.mul (local.get $pb) (local.get $rb)) (v128.const f64x2 2.48015873015873e-05 2.48015873015873e-05)))
    (local.set $pc (f64x2.add (f64x2.mul (local.get $pc) (local.get $rc)) (v128.const f64x2 2.48015873015873e-05 2.48015873015873e-05)))
    (local.set $pd (f64x2.add (f64x2.mul (local.get $pd) (local.get $rd)) (v128.const f64x2 2.48015873015873e-05 2.48015873015873e-05)))
    (local.set $pa (f64x2.add (f64x2.mul (local.get $pa) (local.get $ra)) (v128.const f64x2 0.0001984126984126984 0.0001984126984126984)))
    (local.set $pb (f64x2.add (f64x2.mul (local.get $pb) (local.get $rb)) (v128.const f64x2 0.0001984126984126984 0.0001984126984126984)))
    (local.set $pc (f64x2.add (f64x2.mul (local.get $pc) (local.get $rc)) (v128.const f64x2 0.0001984126984126984 0.0001984126984126984)))
    (local.set $pd (f64x2.add (f64x2.mul (local.get $pd) (local.get $rd)) (v128.const f64x2 0.0001984126984126984 0.0001984126984126984)))
    (local.set $pa (f64x2.add (f64x2.mul (local.get $pa) (local.get $ra)) (v128.const f64x2 0.001388888888888889 0.001388888888888889)))
    (local.set $pb (f64x2.add (f64x2.mul (local.get $pb) (local.get $rb)) (v128.const f64x2 0.001388888888888889 0.001388888888888889)))
    (local.set $pc (f64x2.add (f64x2.mul (local.get $pc) (local.get $rc)) (v128.const f64x2 0.001388888888888889 0.001388888888888889)))
    (local.set $pd (f64x2.add (f64x2.mul (local.get $pd) (local.get $rd)) (v128.const f64x2 0.001388888888888889 0.001388888888888889)))
    (local.set $pa (f64x2.add (f64x2.mul (local.get $pa) (local.get $ra)) (v128.const f64x2 0.008333333333333333 0.008333333333333333)))
    (local.set $pb (f64x2.add (f64x2.mul (local.get $pb) (local.get $rb)) (v128.const f64x2 0.008333333333333333 0.008333333333333333)))
    (local.set $pc (f64x2.add (f64x2.mul (local.get $pc) (local.get $rc)) (v128.const f64x2 0.008333333333333333 0.008333333333333333)))
    (local.set $pd (f64x2.add (f64x2.mul (local.get $pd) (local.get $rd)) (v128.const f64x2 0.008333333333333333 0.008333333333333333)))
    (local.set $pa (f64x2.add (f64x2.mul (local.get $pa) (local.get $ra)) (v128.const f64x2 0.041666666666666664 0.041666666666666664)))
    (local.set $pb (f64x2.add (f64x2.mul (local.get $pb) (local.get $rb)) (v128.const f64x2 0.041666666666666664 0.041666666666666664)))
    (local.set $pc (f64x2.add (f64x2.mul (local.get $pc) (local.get $rc)) (v128.const f64x2 0.041666666666666664 0.041666666666666664)))
    (local.set $pd (f64x2.add (f64x2.mul (local.get $pd) (local.get $rd)) (v128.const f64x2 0.041666666666666664 0.041666666666666664)))
    (local.set $pa (f64x2.add (f64x2.mul (local.get $pa) (local.get $ra)) (v128.const f64x2 0.16666666666666666 0.16666666666666666)))
    (local.set $pb (f64x2.add (f64x2.mul (local.get $pb) (local.get $rb)) (v128.const f64x2 0.16666666666666666 0.16666666666666666)))
    (local.set $pc (f64x2.add (f64x2.mul (local.get $pc) (local.get $rc)) (v128.const f64x2 0.16666666666666666 0.16666666666666666)))
    (local.set $pd (f64x2.add (f64x2.mul (local.get $pd) (local.get $rd)) (v128.const f64x2 0.16666666666666666 0.16666666666666666)))
    (local.set $pa (f64x2.add (f64x2.mul (local.get $pa) (local.get $ra)) (v128.const f64x2 0.5 0.5)))
    (local.set $pb (f64x2.add (f64x2.mul (local.get $pb) (local.get $rb)) (v128.const f64x2 0.5 0.5)))
    (local.set $pc (f64x2.add (f64x2.mul (local.get $pc) (local.get $rc)) (v128.const f64x2 0.5 0.5)))
    (local.set $pd (f64x2.add (f64x2.mul (local.get $pd) (local.get $rd)) (v128.const f64x2 0.5 0.5)))
    (local.set $pa (f64x2.add (f64x2.mul (local.get $pa) (local.get $ra)) (v128.const f64x2 1.0 1.0)))
    (local.set $pb (f64x2.add (f64x2.mul (local.get $pb) (local.get $rb)) (v128.const f64x2 1.0 1.0)))
    (local.set $pc (f64x2.add (f64x2.mul (local.get $pc) (local.get $rc)) (v128.const f64x2 1.0 1.0)))
    (local.set $pd (f64x2.add (f64x2.mul (local.get $pd) (local.get $rd)) (v128.const f64x2 1.0 1.0)))
    (local.set $pa (f64x2.add (f64x2.mul (local.get $pa) (local.get $ra)) (v128.const f64x2 1.0 1.0)))
    (local.set $pb (f64x2.add (f64x2.mul (local.get $pb) (local.get $rb)) (v128.const f64x2 1.0 1.0)))
    (local.set $pc (f64x2.add (f64x2.mul (local.get $pc) (local.get $rc)) (v128.const f64x2 1.0 1.0)))
    (local.set $pd (f64x2.add (f64x2.mul (local.get $pd) (local.get $rd)) (v128.const f64x2 1.0 1.0)))
    ;; times 2^k: the bits of 2^k are (k + 1023) << 52; the magic constant's own bits shift out.
    (v128.store offset=0 (local.get $out)
      (v128.andnot (f64x2.mul (local.get $pa) (i64x2.shl (i64x2.add (local.get $kda) (v128.const i64x2 1023 1023)) (i32.const 52)))
                   (f64x2.lt (local.get $ya) (v128.const f64x2 -708.0 -708.0))))
    (v128.store offset=16 (local.get $out)
      (v128.andnot (f64x2.mul (local.get $pb) (i64x2.shl (i64x2.add (local.get $kdb) (v128.const i64x2 1023 1023)) (i32.const 52)))
                   (f64x2.lt (local.get $yb) (v128.const f64x2 -708.0 -708.0))))
    (v128.store offset=32 (local.get $out)
      (v128.andnot (f64x2.mul (local.get $pc) (i64x2.shl (i64x2.add (local.get $kdc) (v128.const i64x2 1023 1023)) (i32.const 52)))
                   (f64x2.lt (local.get $yc) (v128.const f64x2 -708.0 -708.0))))
    (v128.store offset=48 (local.get $out)
      (v128.andnot (f64x2.mul (local.get $pd) (i64x2.shl (i64x2.add (local.get $kdd) (v128.const i64x2 1023 1023)) (i32.const 52)))
                   (f64x2.lt (local.get $yd) (v128.const f64x2 -708.0 -708.0))))
  )

  ;; out[s] = exp(negGamma * |x - sv_s|^2) for s < count (count and stride multiples of 8).
  (func (export "rbf_row")
    (param $x i32) (param $nf i32) (param $sv i32) (param $stride i32) (param $count i32) (param $negGamma f64) (param $out i32)
    (local $s i32) (local $f i32) (local $col i32) (local $step i32) (local $xf v128) (local $g v128)
    (local $da v128) (local $acca v128) (local $db v128) (local $accb v128) (local $dc v128) (local $accc v128) (local $dd v128) (local $accd v128)
    (local.set $g (f64x2.splat (local.get $negGamma)))
    (local.set $step (i32.shl (local.get $stride) (i32.const 3)))
    (block $done
      (loop $vectors
        (br_if $done (i32.ge_u (local.get $s) (local.get $count)))
        (local.set $acca (v128.const f64x2 0 0))
        (local.set $accb (v128.const f64x2 0 0))
        (local.set $accc (v128.const f64x2 0 0))
        (local.set $accd (v128.const f64x2 0 0))
        (local.set $f (i32.const 0))
        (local.set $col (i32.add (local.get $sv) (i32.shl (local.get $s) (i32.const 3))))
        (block $features_done
          (loop $features
            (br_if $features_done (i32.ge_u (local.get $f) (local.get $nf)))
            (local.set $xf (v128.load64_splat (i32.add (local.get $x) (i32.shl (local.get $f) (i32.const 3)))))
            (local.set $da (f64x2.sub (local.get $xf) (v128.load offset=0 (local.get $col))))
            (local.set $db (f64x2.sub (local.get $xf) (v128.load offset=16 (local.get $col))))
            (local.set $dc (f64x2.sub (local.get $xf) (v128.load offset=32 (local.get $col))))
            (local.set $dd (f64x2.sub (local.get $xf) (v128.load offset=48 (local.get $col))))
            (local.set $acca (f64x2.add (local.get $acca) (f64x2.mul (local.get $da) (local.get $da))))
            (local.set $accb (f64x2.add (local.get $accb) (f64x2.mul (local.get $db) (local.get $db))))
            (local.set $accc (f64x2.add (local.get $accc) (f64x2.mul (local.get $dc) (local.get $dc))))
            (local.set $accd (f64x2.add (local.get $accd) (f64x2.mul (local.get $dd) (local.get $dd))))
            (local.set $col (i32.add (local.get $col) (local.get $step)))
            (local.set $f (i32.add (local.get $f) (i32.const 1)))
            (br $features)))
        (call $exp_store
          (f64x2.mul (local.get $g) (local.get $acca)) (f64x2.mul (local.get $g) (local.get $accb)) (f64x2.mul (local.get $g) (local.get $accc)) (f64x2.mul (local.get $g) (local.get $accd))
          (i32.add (local.get $out) (i32.shl (local.get $s) (i32.const 3))))
        (local.set $s (i32.add (local.get $s) (i32.const 8)))
        (br $vectors))))

  ;; sum of a[i] * b[i] for i < n, two lanes at a time (a and b need not be 16-byte aligned).
  (func $dot (param $a i32) (param $b i32) (param $n i32) (result f64)
    (local $i i32) (local $acc v128) (local $sum f64) (local $pairs i32)
    (local.set $pairs (i32.and (local.get $n) (i32.const -2)))
    (block $done
      (loop $items
        (br_if $done (i32.ge_u (local.get $i) (local.get $pairs)))
        (local.set $acc (f64x2.add (local.get $acc)
          (f64x2.mul (v128.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3))))
                     (v128.load (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 3)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $items)))
    (local.set $sum (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
    (if (i32.lt_u (local.get $pairs) (local.get $n))
      (then (local.set $sum (f64.add (local.get $sum)
        (f64.mul (f64.load (i32.add (local.get $a) (i32.shl (local.get $pairs) (i32.const 3))))
                 (f64.load (i32.add (local.get $b) (i32.shl (local.get $pairs) (i32.const 3)))))))))
    (local.get $sum))

  ;; One-vs-one decision values: for each pair p, a table row of six i32 at table + 24p holds
  ;; (first kernel value, count, coefficients) of the pair's first class, then the same of its second;
  ;; out[p] = dot(first) + dot(second) + intercept[p]. Pointers are byte addresses.
  (func (export "ovo") (param $table i32) (param $pairs i32) (param $intercepts i32) (param $out i32)
    (local $p i32) (local $row i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $p) (local.get $pairs)))
        (local.set $row (i32.add (local.get $table) (i32.mul (local.get $p) (i32.const 24))))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 3)))
          (f64.add
            (f64.add
              (call $dot (i32.load offset=8 (local.get $row)) (i32.load (local.get $row)) (i32.load offset=4 (local.get $row)))
              (call $dot (i32.load offset=20 (local.get $row)) (i32.load offset=12 (local.get $row)) (i32.load offset=16 (local.get $row))))
            (f64.load (i32.add (local.get $intercepts) (i32.shl (local.get $p) (i32.const 3))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $each))))
)
