// Every formula of the "Learn more" panel, as TeX, rendered by KaTeX to HTML + MathML strings (the
// MathML is what screen readers read). No CDN and no script: only markup, inline styles and the
// KaTeX stylesheet, which LearnMore imports from the package.
import katex from 'katex';

/** Notation used throughout: G = dy^c/dA, Z = u v positions, S_k = sum of channel k. */
export const TEX = {
  featureMaps: String.raw`A^k \in \mathbb{R}^{u \times v}, \qquad k = 1, \dots, K`,
  gradient: String.raw`\frac{\partial y^c}{\partial A^k_{ij}}`,
  weights: String.raw`\alpha_k^c = \overbrace{\frac{1}{Z}\sum_{i}\sum_{j}}^{\text{global average pooling}} \underbrace{\frac{\partial y^c}{\partial A^k_{ij}}}_{\text{gradients via backprop}}`,
  map: String.raw`L^c_{\text{Grad-CAM}} = \operatorname{ReLU}\Big(\underbrace{\sum_k \alpha_k^c A^k}_{\text{linear combination}}\Big)`,
  normalise: String.raw`\hat{L}^c_{ij} = \frac{L^c_{ij}}{\max_{a,b} L^c_{ab}} \in [0, 1] \qquad (\hat{L}^c = 0 \text{ when } L^c = 0)`,
  upsample: String.raw`\hat{L}^c \in [0,1]^{u \times v} \;\xrightarrow{\ \text{bilinear}\ }\; \hat{L}^c_{\uparrow} \in [0,1]^{H \times W}`,
  counterfactualWeights: String.raw`\alpha_k^{c,\text{cf}} = \frac{1}{Z}\sum_i\sum_j \Big(-\frac{\partial y^c}{\partial A^k_{ij}}\Big) = -\alpha_k^c`,
  counterfactualMap: String.raw`L^c_{\text{cf}} = \operatorname{ReLU}\Big(-\sum_k \alpha_k^c A^k\Big)`,
  notation: String.raw`G^k_{ij} = \frac{\partial y^c}{\partial A^k_{ij}}, \qquad Z = u\,v, \qquad S_k = \sum_{i,j} A^k_{ij}`,
  gapScore: String.raw`y^c = b^c + \sum_k w^c_k \, \frac{1}{Z} \sum_{i,j} A^k_{ij}`,
  gapGradient: String.raw`\frac{\partial y^c}{\partial A^k_{ij}} = \frac{w^c_k}{Z} = g_k \quad \text{at every position } (i, j)`,
  gapGradcam: String.raw`L^c_{\text{Grad-CAM}} = \operatorname{ReLU}\Big(\frac{1}{Z}\sum_k w^c_k A^k\Big) = \frac{1}{Z}\operatorname{ReLU}\big(M^c_{\text{CAM}}\big), \qquad M^c_{\text{CAM}} = \sum_k w^c_k A^k`,
  aucDefinition: String.raw`\text{AUC} = \int_0^1 p^c(x_t)\,dt \;\approx\; \frac{1}{n}\sum_{s=1}^{n} \frac{p^c(x_{(s-1)/n}) + p^c(x_{s/n})}{2}`,
  confidenceDrop: String.raw`\text{DropInConfidence} = \max\big(0,\; s^c(x) - s^c(x \odot \hat{L}^c_{\uparrow})\big)`,
  averageDrop: String.raw`\text{Average Drop} = \frac{100}{N}\sum_{n=1}^{N} \frac{\max\big(0,\; p^c(x_n) - p^c(x_n \odot \hat{L}^c_{n\uparrow})\big)}{p^c(x_n)} \ \%`,
} as const;

/** Inline snippets used in the prose and tables (also checked by the test). */
export const INLINE = {
  Ak: String.raw`A^k`,
  Akij: String.raw`A^k_{ij}`,
  yc: String.raw`y^c`,
  pc: String.raw`p^c`,
  c: String.raw`c`,
  K: String.raw`K`,
  uv: String.raw`u \times v`,
  Z: String.raw`Z = u\,v`,
  alpha: String.raw`\alpha_k^c`,
  G: String.raw`G^k_{ij}`,
  g: String.raw`g_k = w^c_k / Z`,
  Sk: String.raw`S_k`,
  SkZero: String.raw`S_k = 0`,
  x: String.raw`x`,
  xt: String.raw`x_t`,
  t: String.raw`t`,
  n: String.raw`n`,
  sc: String.raw`s^c`,
  N1: String.raw`N = 1`,
  HW: String.raw`H \times W`,
  relu: String.raw`\operatorname{ReLU}(z) = \max(0, z)`,
  wk: String.raw`w^c_k`,
  gapGradcam: String.raw`\alpha_k = g_k`,
  gapHirescam: String.raw`\textstyle\sum_k g_k A^k_{ij}`,
  gapXgradcam: String.raw`\alpha_k = \tfrac{\sum_{ij} g_k A^k_{ij}}{S_k} = g_k`,
  gapLayercam: String.raw`\textstyle\sum_k \operatorname{ReLU}(g_k)\, A^k_{ij}`,
  gapGradcampp: String.raw`\alpha_k = \tfrac{Z \operatorname{ReLU}(g_k)}{2 + S_k g_k}`,
  gapFree: String.raw`\text{no } g_k`,
} as const;

/**
 * Formulas per CAM method id (display mode), written here rather than in core so the prose and its
 * notation stay together. A method id without an entry still gets a subsection, without formula.
 */
export const METHOD_TEX: Readonly<Record<string, readonly string[]>> = {
  gradcam: [
    String.raw`\alpha_k^c = \frac{1}{Z}\sum_{i}\sum_{j} G^k_{ij}, \qquad L^c = \operatorname{ReLU}\Big(\sum_k \alpha_k^c A^k\Big)`,
  ],
  'gradcam++': [
    String.raw`a^{kc}_{ij} = \frac{\big(G^k_{ij}\big)^2}{2\big(G^k_{ij}\big)^2 + S_k \big(G^k_{ij}\big)^3} \quad (0 \text{ where } G^k_{ij} = 0)`,
    String.raw`\alpha_k^c = \sum_{i,j} a^{kc}_{ij}\, \operatorname{ReLU}\big(G^k_{ij}\big), \qquad L^c = \operatorname{ReLU}\Big(\sum_k \alpha_k^c A^k\Big)`,
  ],
  xgradcam: [
    String.raw`\alpha_k^c = \sum_{i,j} \frac{A^k_{ij}}{S_k}\, G^k_{ij} \quad (0 \text{ where } S_k = 0), \qquad L^c = \operatorname{ReLU}\Big(\sum_k \alpha_k^c A^k\Big)`,
  ],
  hirescam: [String.raw`L^c_{ij} = \operatorname{ReLU}\Big(\sum_k G^k_{ij}\, A^k_{ij}\Big)`],
  layercam: [
    String.raw`L^c_{ij} = \operatorname{ReLU}\Big(\sum_k \operatorname{ReLU}\big(G^k_{ij}\big)\, A^k_{ij}\Big)`,
  ],
  eigencam: [
    String.raw`M_{p,k} = A^k_p - \frac{1}{Z}\sum_{q} A^k_q, \qquad M = U \Sigma V^{\top} \quad (M \in \mathbb{R}^{Z \times K})`,
    String.raw`L_p = \operatorname{ReLU}\big(\pm (M v_1)_p\big) \quad (\text{sign chosen to agree with } \textstyle\sum_k A^k_p)`,
  ],
  scorecam: [
    String.raw`H^k = s\big(\mathrm{Up}(A^k)\big), \qquad s(B) = \frac{B - \min B}{\max B - \min B}`,
    String.raw`S_k = y^c(x \odot H^k) - y^c(x_b), \qquad \alpha_k^c = \frac{\exp S_k}{\sum_{k'} \exp S_{k'}} = \frac{\exp y^c(x \odot H^k)}{\sum_{k'} \exp y^c(x \odot H^{k'})}`,
    String.raw`L^c = \operatorname{ReLU}\Big(\sum_k \alpha_k^c A^k\Big)`,
  ],
  'guided-backprop': [
    String.raw`R^{(l)} = \mathbf{1}\big[f^{(l)} > 0\big] \cdot \mathbf{1}\big[R^{(l+1)} > 0\big] \cdot R^{(l+1)}`,
    String.raw`S^c_{\text{guided}} = \frac{\partial y^c}{\partial x} \text{ computed with this rule at every ReLU}`,
  ],
  'guided-gradcam': [
    String.raw`S^c_{\text{Guided Grad-CAM}} = S^c_{\text{guided}} \odot \hat{L}^c_{\text{Grad-CAM}\uparrow}`,
  ],
};

const OPTIONS = {
  output: 'htmlAndMathml',
  throwOnError: true,
  strict: 'error',
  trust: false,
} as const;

const cache = new Map<string, string>();

/**
 * KaTeX HTML (with MathML for assistive technology) for `tex`. Throws a KaTeX ParseError on invalid
 * TeX (throwOnError and strict mode), so the test catches any broken formula.
 */
export function renderTex(tex: string, displayMode = false): string {
  const key = `${displayMode ? 'D' : 'I'}${tex}`;
  let html = cache.get(key);
  if (html === undefined) {
    html = katex.renderToString(tex, { ...OPTIONS, displayMode });
    cache.set(key, html);
  }
  return html;
}

/** Every formula string of the panel with its mode, for tests. */
export function allFormulas(): { name: string; tex: string; display: boolean }[] {
  return [
    ...Object.entries(TEX).map(([name, tex]) => ({ name, tex, display: true })),
    ...Object.entries(INLINE).map(([name, tex]) => ({
      name: `inline ${name}`,
      tex,
      display: false,
    })),
    ...Object.entries(METHOD_TEX).flatMap(([id, list]) =>
      list.map((tex, i) => ({ name: `${id} #${i + 1}`, tex, display: true })),
    ),
  ];
}
