// Bibliography of the "Learn more" panel. The architectures' papers are not listed here: the panel
// takes them from MODELS (ModelSpec.facts.paper), so they cannot drift from the registry.
// Each entry was checked against the publisher's or arXiv's record: authors, exact title, venue,
// the venue's year (not the preprint's), DOI or arXiv id. Where a paper has two editions, one is
// cited everywhere (`edition`); the method registry's citations name it (see LearnMore.test.ts).

export interface Reference {
  /** Anchor id suffix: the entry is rendered with id `learn-ref-${id}`. */
  id: string;
  authors: string;
  /** The venue's year; omitted for undated pages. */
  year?: number;
  title: string;
  venue: string;
  /**
   * The edition the app cites (equation and section numbers), as the method registry's citations
   * write it, e.g. "IJCV 2020". Only for papers that a registered method cites.
   */
  edition?: string;
  /** Official pages only (publisher, DOI, arXiv, project pages), all https. */
  links: readonly { label: string; url: string }[];
}

export interface ReferenceGroup {
  heading: string;
  references: readonly Reference[];
  /** The panel appends the papers of MODELS to this group. */
  withModelPapers?: boolean;
}

export const REFERENCE_GROUPS: readonly ReferenceGroup[] = [
  {
    heading: 'Grad-CAM and its reference implementations',
    references: [
      {
        id: 'selvaraju2020',
        authors:
          'Ramprasaath R. Selvaraju, Michael Cogswell, Abhishek Das, Ramakrishna Vedantam, Devi Parikh, Dhruv Batra',
        year: 2020,
        title: 'Grad-CAM: Visual Explanations from Deep Networks via Gradient-Based Localization',
        venue:
          'International Journal of Computer Vision 128(2), pp. 336–359. Extended version of the ICCV 2017 paper (pp. 618–626); section numbers here are those of the IJCV version',
        edition: 'IJCV 2020',
        links: [
          { label: 'IJCV 2020 DOI', url: 'https://doi.org/10.1007/s11263-019-01228-7' },
          { label: 'arXiv 1610.02391', url: 'https://arxiv.org/abs/1610.02391' },
          { label: 'ICCV 2017 DOI', url: 'https://doi.org/10.1109/ICCV.2017.74' },
          {
            label: 'ICCV 2017 paper (CVF open access)',
            url: 'https://openaccess.thecvf.com/content_iccv_2017/html/Selvaraju_Grad-CAM_Visual_Explanations_ICCV_2017_paper.html',
          },
        ],
      },
      {
        id: 'ramprs-code',
        authors: 'Ramprasaath R. Selvaraju',
        year: 2016,
        title: 'grad-cam: the original Grad-CAM code (Torch/Lua)',
        venue: 'GitHub',
        links: [{ label: 'ramprs/grad-cam on GitHub', url: 'https://github.com/ramprs/grad-cam' }],
      },
      {
        id: 'chollet-keras',
        authors: 'François Chollet',
        year: 2020,
        title: 'Grad-CAM class activation visualization',
        venue: 'Keras code examples',
        links: [
          { label: 'Keras Grad-CAM example', url: 'https://keras.io/examples/vision/grad_cam/' },
        ],
      },
      {
        id: 'pytorch-grad-cam',
        // As the BibTeX entry its README asks users to cite (@misc{jacobgilpytorchcam}).
        authors: 'Jacob Gildenblat and contributors',
        year: 2021,
        title: 'PyTorch library for CAM methods',
        venue: 'GitHub',
        links: [
          {
            label: 'jacobgil/pytorch-grad-cam on GitHub',
            url: 'https://github.com/jacobgil/pytorch-grad-cam',
          },
        ],
      },
      {
        id: 'zhou2016',
        authors: 'Bolei Zhou, Aditya Khosla, Agata Lapedriza, Aude Oliva, Antonio Torralba',
        year: 2016,
        title: 'Learning Deep Features for Discriminative Localization',
        venue: 'CVPR 2016, pp. 2921–2929 (Class Activation Mapping, CAM)',
        links: [
          { label: 'CVPR 2016 DOI', url: 'https://doi.org/10.1109/CVPR.2016.319' },
          { label: 'arXiv 1512.04150', url: 'https://arxiv.org/abs/1512.04150' },
        ],
      },
    ],
  },
  {
    heading: 'Other CAM and saliency methods',
    references: [
      {
        id: 'chattopadhay2018',
        authors:
          'Aditya Chattopadhay, Anirban Sarkar, Prantik Howlader, Vineeth N. Balasubramanian',
        year: 2018,
        title:
          'Grad-CAM++: Generalized Gradient-Based Visual Explanations for Deep Convolutional Networks',
        venue:
          'WACV 2018, pp. 839–847 (arXiv title: "Grad-CAM++: Improved Visual Explanations for Deep Convolutional Networks")',
        edition: 'WACV 2018',
        links: [
          { label: 'WACV 2018 DOI', url: 'https://doi.org/10.1109/WACV.2018.00097' },
          { label: 'arXiv 1710.11063', url: 'https://arxiv.org/abs/1710.11063' },
        ],
      },
      {
        id: 'fu2020',
        authors: 'Ruigang Fu, Qingyong Hu, Xiaohu Dong, Yulan Guo, Yinghui Gao, Biao Li',
        year: 2020,
        title: 'Axiom-based Grad-CAM: Towards Accurate Visualization and Explanation of CNNs',
        venue: 'BMVC 2020',
        edition: 'BMVC 2020',
        links: [{ label: 'arXiv 2008.02312', url: 'https://arxiv.org/abs/2008.02312' }],
      },
      {
        id: 'draelos2020',
        authors: 'Rachel Lea Draelos, Lawrence Carin',
        year: 2020,
        title:
          'Use HiResCAM instead of Grad-CAM for faithful explanations of convolutional neural networks',
        venue: 'arXiv preprint 2011.08891 (2020; this title since its 2021 revision)',
        edition: 'arXiv 2011.08891',
        links: [{ label: 'arXiv 2011.08891', url: 'https://arxiv.org/abs/2011.08891' }],
      },
      {
        id: 'jiang2021',
        authors: 'Peng-Tao Jiang, Chang-Bin Zhang, Qibin Hou, Ming-Ming Cheng, Yunchao Wei',
        year: 2021,
        title: 'LayerCAM: Exploring Hierarchical Class Activation Maps for Localization',
        venue: 'IEEE Transactions on Image Processing 30, pp. 5875–5888',
        edition: 'IEEE TIP 2021',
        links: [{ label: 'IEEE TIP DOI', url: 'https://doi.org/10.1109/TIP.2021.3089943' }],
      },
      {
        id: 'muhammad2020',
        authors: 'Mohammed Bany Muhammad, Mohammed Yeasin',
        year: 2020,
        title: 'Eigen-CAM: Class Activation Map using Principal Components',
        venue: 'IJCNN 2020',
        edition: 'IJCNN 2020',
        links: [
          { label: 'IJCNN 2020 DOI', url: 'https://doi.org/10.1109/IJCNN48605.2020.9206626' },
          { label: 'arXiv 2008.00299', url: 'https://arxiv.org/abs/2008.00299' },
        ],
      },
      {
        id: 'wang2020',
        authors:
          'Haofan Wang, Zifan Wang, Mengnan Du, Fan Yang, Zijian Zhang, Sirui Ding, Piotr Mardziel, Xia Hu',
        year: 2020,
        title: 'Score-CAM: Score-Weighted Visual Explanations for Convolutional Neural Networks',
        venue: 'CVPR Workshops 2020, pp. 111–119',
        edition: 'CVPR Workshops 2020',
        links: [
          { label: 'CVPRW 2020 DOI', url: 'https://doi.org/10.1109/CVPRW50498.2020.00020' },
          { label: 'arXiv 1910.01279', url: 'https://arxiv.org/abs/1910.01279' },
        ],
      },
      {
        id: 'scorecam-code',
        authors: 'Haofan Wang',
        title: 'Score-CAM: the authors’ code (PyTorch)',
        venue: 'GitHub',
        links: [
          {
            label: 'haofanwang/Score-CAM on GitHub',
            url: 'https://github.com/haofanwang/Score-CAM',
          },
        ],
      },
      {
        id: 'faster-scorecam',
        authors: 'tabayashi0117',
        title: 'Score-CAM and Faster Score-CAM with Keras (section “Faster Score-CAM”)',
        venue: 'GitHub',
        links: [
          {
            label: 'tabayashi0117/Score-CAM on GitHub',
            url: 'https://github.com/tabayashi0117/Score-CAM#faster-score-cam',
          },
        ],
      },
      {
        id: 'tf-keras-vis',
        authors: 'keisen and contributors',
        title: 'tf-keras-vis: Scorecam with max_N (Faster Score-CAM)',
        venue: 'GitHub',
        links: [
          { label: 'keisen/tf-keras-vis on GitHub', url: 'https://github.com/keisen/tf-keras-vis' },
        ],
      },
      {
        id: 'springenberg2015',
        authors: 'Jost Tobias Springenberg, Alexey Dosovitskiy, Thomas Brox, Martin Riedmiller',
        year: 2015,
        title: 'Striving for Simplicity: The All Convolutional Net',
        venue: 'ICLR 2015 workshop track (introduces guided backpropagation)',
        edition: 'ICLR Workshop 2015',
        links: [{ label: 'arXiv 1412.6806', url: 'https://arxiv.org/abs/1412.6806' }],
      },
    ],
  },
  {
    heading: 'Evaluating saliency maps',
    references: [
      {
        id: 'adebayo2018',
        authors:
          'Julius Adebayo, Justin Gilmer, Michael Muelly, Ian Goodfellow, Moritz Hardt, Been Kim',
        year: 2018,
        title: 'Sanity Checks for Saliency Maps',
        venue: 'NeurIPS 2018',
        links: [{ label: 'arXiv 1810.03292', url: 'https://arxiv.org/abs/1810.03292' }],
      },
      {
        id: 'lerma2022',
        authors: 'Miguel Lerma, Mirtha Lucas',
        year: 2022,
        title: 'Grad-CAM++ is Equivalent to Grad-CAM With Positive Gradients',
        venue: 'arXiv preprint',
        links: [{ label: 'arXiv 2205.10838', url: 'https://arxiv.org/abs/2205.10838' }],
      },
      {
        id: 'petsiuk2018',
        authors: 'Vitali Petsiuk, Abir Das, Kate Saenko',
        year: 2018,
        title: 'RISE: Randomized Input Sampling for Explanation of Black-box Models',
        venue: 'BMVC 2018',
        links: [{ label: 'arXiv 1806.07421', url: 'https://arxiv.org/abs/1806.07421' }],
      },
    ],
  },
  {
    heading: 'Architectures and pretrained weights',
    withModelPapers: true,
    references: [
      {
        id: 'keras-applications',
        authors: 'Keras team',
        title: 'Keras Applications (pretrained ImageNet models and their accuracies)',
        venue: 'Keras documentation',
        links: [{ label: 'Keras Applications', url: 'https://keras.io/api/applications/' }],
      },
    ],
  },
];

/** Short in-text label ("Selvaraju et al. 2020") for a reference id. */
export const CITE_LABELS: Readonly<Record<string, string>> = {
  selvaraju2020: 'Selvaraju et al. 2020',
  'ramprs-code': 'Selvaraju, original code',
  'chollet-keras': 'Chollet, Keras example',
  'pytorch-grad-cam': 'pytorch-grad-cam',
  zhou2016: 'Zhou et al. 2016',
  chattopadhay2018: 'Chattopadhay et al. 2018',
  fu2020: 'Fu et al. 2020',
  draelos2020: 'Draelos & Carin 2020',
  jiang2021: 'Jiang et al. 2021',
  muhammad2020: 'Muhammad & Yeasin 2020',
  wang2020: 'Wang et al. 2020',
  'scorecam-code': 'the authors’ Score-CAM code',
  'faster-scorecam': 'Faster Score-CAM',
  'tf-keras-vis': 'tf-keras-vis',
  springenberg2015: 'Springenberg et al. 2015',
  adebayo2018: 'Adebayo et al. 2018',
  lerma2022: 'Lerma & Lucas 2022',
  petsiuk2018: 'Petsiuk et al. 2018',
  'keras-applications': 'Keras Applications',
};

export const refAnchor = (id: string) => `learn-ref-${id}`;
