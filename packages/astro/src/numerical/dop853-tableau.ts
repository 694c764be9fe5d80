/**
 * The Butcher tableau of DOP853, the explicit Runge–Kutta pair of order 8 with embedded error
 * estimators of orders 5 and 3 and a continuous extension of order 7, by Dormand & Prince as
 * published in Hairer, Nørsett & Wanner, "Solving Ordinary Differential Equations I. Nonstiff
 * Problems", 2nd ed. (Springer, 1993), §II.5 and §II.6 (Table 5.3 and the dense-output
 * coefficients of the continuous extension, three extra stages 14–16).
 *
 * Naming follows the book: stage i is evaluated at t + c_i·h from y + h·Σ_j a_ij·k_j. Stage 12 is
 * at t + h; stage 13 is f(t + h, y_new) (first stage of the next step); stages 14–16 exist only
 * for the dense output. `B` are the 8th-order weights, `E5` the 5th-order error weights
 * (e_i = b_i − b̂_i), `BHH` the weights of the 3rd-order estimate (on stages 1, 9, 12), and `D4..D7`
 * the dense-output coefficients. Values are the 30-digit decimals of the published tableau rounded to the nearest double
 * (shortest round-trip form).
 */

export const C2 = 0.05260015195876773;
export const C3 = 0.0789002279381516;
export const C4 = 0.1183503419072274;
export const C5 = 0.2816496580927726;
export const C6 = 0.3333333333333333;
export const C7 = 0.25;
export const C8 = 0.3076923076923077;
export const C9 = 0.6512820512820513;
export const C10 = 0.6;
export const C11 = 0.8571428571428571;
export const C14 = 0.1;
export const C15 = 0.2;
export const C16 = 0.7777777777777778;

export const B1 = 0.054293734116568765;
export const B6 = 4.450312892752409;
export const B7 = 1.8915178993145003;
export const B8 = -5.801203960010585;
export const B9 = 0.3111643669578199;
export const B10 = -0.1521609496625161;
export const B11 = 0.20136540080403034;
export const B12 = 0.04471061572777259;

export const BHH1 = 0.2440944881889764;
export const BHH2 = 0.7338466882816118;
export const BHH3 = 0.022058823529411766;

export const ER1 = 0.01312004499419488;
export const ER6 = -1.2251564463762044;
export const ER7 = -0.4957589496572502;
export const ER8 = 1.6643771824549864;
export const ER9 = -0.35032884874997366;
export const ER10 = 0.3341791187130175;
export const ER11 = 0.08192320648511571;
export const ER12 = -0.022355307863886294;

export const A21 = 0.05260015195876773;
export const A31 = 0.0197250569845379;
export const A32 = 0.0591751709536137;
export const A41 = 0.02958758547680685;
export const A43 = 0.08876275643042054;
export const A51 = 0.2413651341592667;
export const A53 = -0.8845494793282861;
export const A54 = 0.924834003261792;
export const A61 = 0.037037037037037035;
export const A64 = 0.17082860872947386;
export const A65 = 0.12546768756682242;
export const A71 = 0.037109375;
export const A74 = 0.17025221101954405;
export const A75 = 0.06021653898045596;
export const A76 = -0.017578125;
export const A81 = 0.03709200011850479;
export const A84 = 0.17038392571223998;
export const A85 = 0.10726203044637328;
export const A86 = -0.015319437748624402;
export const A87 = 0.008273789163814023;
export const A91 = 0.6241109587160757;
export const A94 = -3.3608926294469414;
export const A95 = -0.868219346841726;
export const A96 = 27.59209969944671;
export const A97 = 20.154067550477894;
export const A98 = -43.48988418106996;
export const A101 = 0.47766253643826434;
export const A104 = -2.4881146199716677;
export const A105 = -0.590290826836843;
export const A106 = 21.230051448181193;
export const A107 = 15.279233632882423;
export const A108 = -33.28821096898486;
export const A109 = -0.020331201708508627;
export const A111 = -0.9371424300859873;
export const A114 = 5.186372428844064;
export const A115 = 1.0914373489967295;
export const A116 = -8.149787010746927;
export const A117 = -18.52006565999696;
export const A118 = 22.739487099350505;
export const A119 = 2.4936055526796523;
export const A1110 = -3.0467644718982196;
export const A121 = 2.273310147516538;
export const A124 = -10.53449546673725;
export const A125 = -2.0008720582248625;
export const A126 = -17.9589318631188;
export const A127 = 27.94888452941996;
export const A128 = -2.8589982771350235;
export const A129 = -8.87285693353063;
export const A1210 = 12.360567175794303;
export const A1211 = 0.6433927460157636;

export const A141 = 0.056167502283047954;
export const A147 = 0.25350021021662483;
export const A148 = -0.2462390374708025;
export const A149 = -0.12419142326381637;
export const A1410 = 0.15329179827876568;
export const A1411 = 0.00820105229563469;
export const A1412 = 0.007567897660545699;
export const A1413 = -0.008298;
export const A151 = 0.03183464816350214;
export const A156 = 0.028300909672366776;
export const A157 = 0.053541988307438566;
export const A158 = -0.05492374857139099;
export const A1511 = -0.00010834732869724932;
export const A1512 = 0.0003825710908356584;
export const A1513 = -0.00034046500868740456;
export const A1514 = 0.1413124436746325;
export const A161 = -0.42889630158379194;
export const A166 = -4.697621415361164;
export const A167 = 7.683421196062599;
export const A168 = 4.06898981839711;
export const A169 = 0.3567271874552811;
export const A1613 = -0.0013990241651590145;
export const A1614 = 2.9475147891527724;
export const A1615 = -9.15095847217987;

/** Dense-output coefficients: rows 4..7, columns 1, 6..16 (others are zero). */
export const D4 = [
  -8.428938276109013, 0.5667149535193777, -3.0689499459498917, 2.38466765651207, 2.117034582445028,
  -0.871391583777973, 2.2404374302607883, 0.6315787787694688, -0.08899033645133331, 18.148505520854727,
  -9.194632392478356, -4.436036387594894,
] as const;
export const D5 = [
  10.427508642579134, 242.28349177525817, 165.20045171727028, -374.5467547226902, -22.113666853125306,
  7.733432668472264, -30.674084731089398, -9.332130526430229, 15.697238121770845, -31.139403219565178,
  -9.35292435884448, 35.81684148639408,
] as const;
export const D6 = [
  19.985053242002433, -387.0373087493518, -189.17813819516758, 527.8081592054236, -11.57390253995963,
  6.8812326946963, -1.0006050966910838, 0.7777137798053443, -2.778205752353508, -60.19669523126412,
  84.32040550667716, 11.99229113618279,
] as const;
export const D7 = [
  -25.69393346270375, -154.18974869023643, -231.5293791760455, 357.6391179106141, 93.40532418362432,
  -37.45832313645163, 104.0996495089623, 29.8402934266605, -43.53345659001114, 96.32455395918828,
  -39.17726167561544, -149.72683625798564,
] as const;
